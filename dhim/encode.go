package dhim

import (
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// encoded is everything DHIM computes for a batch before it looks at candidate items.
type encoded struct {
	in *batchInputs
	// active marks the modelled scenarios: both, or the single task's own.
	active [2]bool
	// fusion is the behaviour-fusion output of a joint model (zero for single-task variants).
	fusion block.FusionOutput
	// h is H_t [B, L, d] and keep its mask [B, L], per scenario.
	h    [2]*nn.Var
	keep [2]*nn.Mask
	// u[x][k] is scenario k's horizon-x interest (zero when switched off) and uHat[x][k] the
	// decoded interest û_x^k after cross-scenario fusion (u itself without CSF), each [B, d].
	u, uHat [2][2]*nn.Var
	states  [2]*scenarioState
}

// encode runs the candidate-independent part of DHIM on a batch.
func (m *Model) encode(t *nn.Tape, b *prep.Batch) (*encoded, error) {
	in, err := m.embedBatch(t, b)
	if err != nil {
		return nil, err
	}
	e := &encoded{in: in}
	widths := [2]int{b.RecWidth, b.SearchWidth}
	if m.joint() {
		e.active = [2]bool{true, true}
		e.fusion = m.fusion.Forward(t, block.FusionInput{
			Rec: in.behaviors[0], Search: in.behaviors[1],
			RecIDs: in.ids[0], SearchIDs: in.ids[1],
			MergedKind: b.MergedKind[:in.rows*b.MergedWidth], MergedSlot: b.MergedSlot[:in.rows*b.MergedWidth],
		})
		e.h, e.keep = e.fusion.H, e.fusion.Keep
	} else {
		k := 0
		if m.opts.Tasks == TasksSearch {
			k = 1
		}
		e.active[k] = true
		e.keep[k] = block.KeepMask(t, in.ids[k], in.rows, widths[k])
		e.h[k] = m.fusion.Intra(t, k, in.behaviors[k], e.keep[k])
	}

	var gateState [2]*nn.Var
	for k := range 2 {
		if e.active[k] {
			gateState[k] = m.encodeHorizons(e, k)
		}
	}
	e.uHat = e.u
	if m.joint() && m.opts.CSF {
		e.uHat = m.csf.forward(e.u)
	}
	for k := range 2 {
		if e.active[k] {
			e.states[k] = m.heads[k].prepare(e.h[k], e.keep[k], gateState[k], e.uHat[long][k], e.uHat[short][k])
		}
	}
	return e, nil
}

// encodeHorizons fills e.u[·][k] for scenario k, leaving zeros for switched-off encoders, and
// returns h_f, the GRU compression of H_k that the adaptive gate reads.
func (m *Model) encodeHorizons(e *encoded, k int) *nn.Var {
	t := e.h[k].Tape()
	rows, d := e.in.rows, m.opts.Dim
	useLong := [2]bool{m.opts.RecLong, m.opts.SearchLong}[k]
	useShort := [2]bool{m.opts.RecShort, m.opts.SearchShort}[k]

	if useLong {
		e.u[long][k] = m.horizons[k].long(e.in.user, e.h[k], e.keep[k])
	} else {
		e.u[long][k] = t.Zeros(rows, d)
	}
	left, lengths, leftKeep := leftAlign(e.h[k], e.in.ids[k])
	var last *nn.Var
	if useShort {
		e.u[short][k], last = m.horizons[k].short(left, lengths, leftKeep)
	} else {
		e.u[short][k] = t.Zeros(rows, d)
	}
	if m.opts.ShareGateGRU && last != nil {
		return last
	}
	_, hf := m.heads[k].gru.Forward(left, lengths)
	return hf
}

// scoreCandidates returns the logits [B·C] of task k for C candidate items per row, ids being
// [B·C] row-major.
func (m *Model) scoreCandidates(t *nn.Tape, e *encoded, ids []int32, c, k int) *nn.Var {
	rows, d := e.in.rows, m.opts.Dim
	items := nn.Reshape(m.embedItems(t, ids), rows, c, d)
	expand := func(v *nn.Var) *nn.Var { return nn.Add(t.Zeros(rows, c, d), nn.Reshape(v, rows, 1, d)) }
	parts := []*nn.Var{expand(e.in.user), items, expand(e.in.query)}
	for s := range 2 {
		if e.active[s] {
			target, interest := m.heads[s].score(e.states[s], items)
			parts = append(parts, target, interest)
		}
	}
	x := nn.Concat(-1, parts...)
	return m.pred.forward(nn.Reshape(x, rows*c, x.Shape()[2]), k)
}
