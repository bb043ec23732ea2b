package dhim

import (
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// sum adds the non-nil terms and returns nil when there is none.
func sum(terms ...*nn.Var) *nn.Var {
	var total *nn.Var
	for _, v := range terms {
		switch {
		case v == nil:
		case total == nil:
			total = v
		default:
			total = nn.Add(total, v)
		}
	}
	return total
}

// proxies returns the long-term proxy p_ℓ (mean of the whole sequence) and the short-term proxy
// p_s (mean of the last k kept positions) of scenario s, each [B, d].
func (m *Model) proxies(e *encoded, s, k int) (pLong, pShort *nn.Var) {
	t := e.h[s].Tape()
	source := e.in.behaviors[s]
	if m.opts.ProxySource == ProxyFused {
		source = e.h[s]
	}
	keep := e.keep[s]
	pLong, _ = block.MaskedMean(source, keep)
	rows, l := source.Shape()[0], source.Shape()[1]
	recent := t.NewMask(rows, l)
	for r := range rows {
		taken := 0
		for j := l - 1; j >= 0 && taken < k; j-- {
			if keep.Keep[r*l+j] {
				recent.Keep[r*l+j] = true
				taken++
			}
		}
	}
	pShort, _ = block.MaskedMean(source, recent)
	return pLong, pShort
}

// intraLoss returns eq. 16 for scenario s: the four triplets that pull each decoded interest
// toward its own proxy and each proxy toward its own interest.
func (m *Model) intraLoss(e *encoded, s, k int) *nn.Var {
	margin := float32(m.opts.Margin)
	pl, ps := m.proxies(e, s, k)
	ul, us := e.uHat[long][s], e.uHat[short][s]
	return sum(
		nn.TripletMargin(ul, pl, ps, margin),
		nn.TripletMargin(pl, ul, us, margin),
		nn.TripletMargin(us, ps, pl, margin),
		nn.TripletMargin(ps, us, ul, margin),
	)
}

// interLoss returns eq. 17 with the search-side interests projected by W_s as in eq. 14
// (Options.InterProjection): matching horizons of the two scenarios attract, mismatched repel.
func (m *Model) interLoss(e *encoded) *nn.Var {
	t := e.h[0].Tape()
	margin := float32(m.opts.Margin)
	project := func(v *nn.Var) *nn.Var {
		if !m.opts.InterProjection {
			return v
		}
		return nn.MatMul(v, t.Param(m.interW), false, true) // W_s v for row vectors v
	}
	rl, rs := e.uHat[long][0], e.uHat[short][0]
	sl, ss := project(e.uHat[long][1]), project(e.uHat[short][1])
	return sum(
		nn.TripletMargin(sl, rl, rs, margin),
		nn.TripletMargin(rl, sl, ss, margin),
		nn.TripletMargin(ss, rs, rl, margin),
		nn.TripletMargin(rs, ss, sl, margin),
	)
}

// conLoss returns L_con of eq. 18 under Options.ConReading, without the switched-off parts,
// or nil when every part is off.
func (m *Model) conLoss(e *encoded) *nn.Var {
	var intra [2]*nn.Var
	use := [2]bool{m.opts.RecIntra, m.opts.SearchIntra}
	window := [2]int{m.opts.RecShortK, m.opts.SearchShortK}
	for s := range 2 {
		if e.active[s] && use[s] {
			intra[s] = m.intraLoss(e, s, window[s])
		}
	}
	var inter *nn.Var
	if m.joint() && m.opts.Inter {
		weight := float32(m.opts.Gamma)
		if m.opts.ConReading == ConLiteral {
			weight = 1 + weight
		}
		inter = nn.Scale(m.interLoss(e), weight)
	}
	return sum(intra[0], intra[1], inter)
}

// queryLoss returns L_Q, eq. 3 read as the usual bidirectional InfoNCE with the positive in the
// denominator. The positives are the (query, clicked item) pairs of the first
// Options.QueryClicks clicks of the Options.QuerySessions most recent search-history sessions
// of every row. The items and queries of the other sessions are the negatives, and pairs of one
// session are never each other's negatives. It returns nil when the
// batch has fewer than two sessions with clicks.
func (m *Model) queryLoss(t *nn.Tape, e *encoded) *nn.Var {
	b := e.in.batch
	rows, l, w := e.in.rows, b.SearchWidth, b.ClickWidth
	var queries, items, groups []int32
	sessions := 0
	for r := range rows {
		for j := l - 1; j >= max(0, l-m.opts.QuerySessions); j-- {
			slot := r*l + j
			q := e.in.sessionQuery[slot]
			if q == nn.PaddingID {
				continue
			}
			found := false
			for _, item := range b.SearchClicks[slot*w : slot*w+min(w, m.opts.QueryClicks)] {
				if item == nn.PaddingID {
					continue
				}
				queries = append(queries, q)
				items = append(items, item)
				groups = append(groups, int32(sessions))
				found = true
			}
			if found {
				sessions++
			}
		}
	}
	if sessions < 2 {
		return nil
	}
	a := nn.Gather(e.in.queries, queries)
	pos := m.embedItems(t, items)
	return block.BiCL(a, pos, t.Param(m.queryW), t.Param(m.queryTau), nil, groups)
}
