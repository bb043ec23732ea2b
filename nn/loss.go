package nn

import (
	"fmt"
	"math"
)

// BCEWithLogits returns the mean over all elements of weights·(softplus(x) − x·y), the binary
// cross-entropy of sigmoid(x) against targets y, computed stably as
// max(x, 0) − x·y + log(1 + e^−|x|). weights may be nil (all 1); as in PyTorch the mean divides
// by the element count, not by the sum of weights. Targets and weights receive gradients when
// they need them. It panics on mismatched shapes.
func BCEWithLogits(logits, targets, weights *Var) *Var {
	t := logits.tape
	checkTape(t, targets, weights)
	mustSameShape("BCEWithLogits", logits, targets)
	if weights != nil {
		mustSameShape("BCEWithLogits", logits, weights)
	}
	out := t.output()
	x, y := logits.val.Data, targets.val.Data
	var sum float64
	for i, v := range x {
		l := bceTerm(v, y[i])
		if weights != nil {
			l *= float64(weights.val.Data[i])
		}
		sum += l
	}
	if len(x) > 0 {
		out.val.Data[0] = float32(sum / float64(len(x)))
	}
	if n := t.record(backwardBCE, out, logits, targets, weights); n != nil {
		n.a, n.b, n.c = logits, targets, weights
	}
	return out
}

// bceTerm returns max(x, 0) − x·y + log(1 + e^−|x|) in float64.
func bceTerm(x, y float32) float64 {
	xf := float64(x)
	return math.Max(xf, 0) - xf*float64(y) + math.Log1p(math.Exp(-math.Abs(xf)))
}

func backwardBCE(t *Tape, n *node) {
	x, y := n.a.val.Data, n.b.val.Data
	if len(x) == 0 {
		return
	}
	g := n.out.grad.Data[0] / float32(len(x))
	dx, dy := t.gradIfNeeded(n.a), t.gradIfNeeded(n.b)
	var dw []float32
	if n.c != nil {
		dw = t.gradIfNeeded(n.c)
	}
	for i, v := range x {
		w := float32(1)
		if n.c != nil {
			w = n.c.val.Data[i]
		}
		addIf(dx, i, g*w*(sigmoid32(v)-y[i]))
		addIf(dy, i, -g*w*v)
		addIf(dw, i, g*float32(bceTerm(v, y[i])))
	}
}

// TripletMarginEps is the epsilon that the distance adds to each coordinate difference, as
// PyTorch's pairwise_distance does.
const TripletMarginEps = 1e-6

// TripletMargin returns the mean over rows of max(‖a−p+ε‖₂ − ‖a−n+ε‖₂ + margin, 0) for anchors,
// positives and negatives of equal shape [N, d] (ε = TripletMarginEps), like PyTorch's
// TripletMarginLoss with p = 2. It panics on mismatched shapes.
func TripletMargin(anchor, pos, neg *Var, margin float32) *Var {
	t := anchor.tape
	checkTape(t, pos, neg)
	mustSameShape("TripletMargin", anchor, pos)
	mustSameShape("TripletMargin", anchor, neg)
	rows, d := lastDim(anchor.val.Shape)
	out := t.output()
	dists := t.f32.get(2 * rows) // per row: d(a, p), d(a, n)
	a, p, ng := anchor.val.Data, pos.val.Data, neg.val.Data
	var sum float64
	for r := 0; r < rows; r++ {
		dp := pairDistance(a[r*d:(r+1)*d], p[r*d:(r+1)*d])
		dn := pairDistance(a[r*d:(r+1)*d], ng[r*d:(r+1)*d])
		dists[2*r], dists[2*r+1] = dp, dn
		sum += math.Max(float64(dp-dn+margin), 0)
	}
	if rows > 0 {
		out.val.Data[0] = float32(sum / float64(rows))
	}
	if n := t.record(backwardTriplet, out, anchor, pos, neg); n != nil {
		n.a, n.b, n.c, n.f0, n.buf = anchor, pos, neg, margin, dists
	}
	return out
}

// pairDistance returns ‖x − y + ε‖₂ with ε = TripletMarginEps.
func pairDistance(x, y []float32) float32 {
	var s float64
	for j := range x {
		d := float64(x[j]-y[j]) + TripletMarginEps
		s += d * d
	}
	return float32(math.Sqrt(s))
}

func backwardTriplet(t *Tape, n *node) {
	rows, d := lastDim(n.a.val.Shape)
	if rows == 0 {
		return
	}
	g := n.out.grad.Data[0] / float32(rows)
	a, p, ng := n.a.val.Data, n.b.val.Data, n.c.val.Data
	da, dp, dn := t.gradIfNeeded(n.a), t.gradIfNeeded(n.b), t.gradIfNeeded(n.c)
	for r := 0; r < rows; r++ {
		distP, distN := n.buf[2*r], n.buf[2*r+1]
		if distP-distN+n.f0 <= 0 {
			continue
		}
		for j := r * d; j < (r+1)*d; j++ {
			up := g * (a[j] - p[j] + TripletMarginEps) / distP
			un := g * (a[j] - ng[j] + TripletMarginEps) / distN
			addIf(da, j, up-un)
			addIf(dp, j, -up)
			addIf(dn, j, un)
		}
	}
}

// L2Penalty returns coef·Σ‖v‖² over the given vars: the plain sum of squares, without a ½
// factor, so its gradient is 2·coef·v. It returns a scalar. It panics when vars is empty,
// because there is then no tape to record on.
func L2Penalty(coef float32, vars ...*Var) *Var {
	if len(vars) == 0 {
		panic("nn: L2Penalty: no inputs")
	}
	t := vars[0].tape
	out := t.output()
	var sum float64
	need := false
	for _, v := range vars {
		checkTape(t, v)
		for _, x := range v.val.Data {
			sum += float64(x) * float64(x)
		}
		need = need || v.needsGrad
	}
	out.val.Data[0] = coef * float32(sum)
	if !need {
		return out
	}
	lo := len(t.refs)
	t.refs = append(t.refs, vars...)
	n := t.push(backwardL2, out)
	n.refLo, n.refHi, n.f0 = lo, len(t.refs), coef
	return out
}

func backwardL2(t *Tape, n *node) {
	g := 2 * n.f0 * n.out.grad.Data[0]
	for _, v := range t.refs[n.refLo:n.refHi] {
		if !v.needsGrad {
			continue
		}
		dv := t.gradData(v)
		for i, x := range v.val.Data {
			dv[i] += g * x
		}
	}
}

// InfoNCE returns the mean over rows i of −log(exp(s_i⁺/τ) / Σ_c exp(s_ic/τ)), the contrastive
// loss with the positive included in the denominator. Similarities are plain dot products of
// the given vectors; normalise them first for cosine similarity. tau is a one-element Var (a
// learnable temperature, read as logits = similarity / τ).
//
// anchor and positive are [N, d]. With negatives nil the candidates of row i are all
// positives of the batch (in-batch negatives): s_ic = anchor_i·positive_c and the positive is
// c = i. With negatives [N, M, d] the candidates of row i are positive_i followed by its own
// M negatives. It panics on mismatched shapes or a tau with more than one element.
func InfoNCE(anchor, positive, negatives, tau *Var) *Var {
	t := anchor.tape
	checkTape(t, positive, negatives, tau)
	mustSameShape("InfoNCE", anchor, positive)
	if len(anchor.val.Shape) != 2 || len(tau.val.Data) != 1 {
		panic(fmt.Sprintf("nn: InfoNCE: anchor has shape %s and tau %s, want [N, d] and one element",
			shapeString(anchor.val.Shape), shapeString(tau.val.Shape)))
	}
	rows, d := anchor.val.Shape[0], anchor.val.Shape[1]
	cands := rows
	if negatives != nil {
		s := negatives.val.Shape
		if len(s) != 3 || s[0] != rows || s[2] != d {
			panic(fmt.Sprintf("nn: InfoNCE: negatives have shape %s, want [%d, M, %d]", shapeString(s), rows, d))
		}
		cands = 1 + s[1]
	}

	sim := t.f32.get(rows * cands)
	infoNCESimilarities(t, anchor, positive, negatives, sim, cands)
	prob := t.f32.get(rows * cands)
	out := t.output()
	invTau := 1 / tau.val.Data[0]
	var sum float64
	for i := 0; i < rows; i++ {
		target := i
		if negatives != nil {
			target = 0
		}
		logits := prob[i*cands : (i+1)*cands]
		for c, s := range sim[i*cands : (i+1)*cands] {
			logits[c] = s * invTau
		}
		lse := logSumExp(logits)
		sum += float64(lse - logits[target])
		for c, l := range logits {
			logits[c] = float32(math.Exp(float64(l - lse)))
		}
	}
	if rows > 0 {
		out.val.Data[0] = float32(sum / float64(rows))
	}

	if n := t.record(backwardInfoNCE, out, anchor, positive, negatives, tau); n != nil {
		n.a, n.b, n.c, n.d, n.buf, n.buf2, n.i0 = anchor, positive, negatives, tau, sim, prob, cands
	}
	return out
}

// infoNCESimilarities fills sim [N, cands] with the dot products described on InfoNCE.
func infoNCESimilarities(t *Tape, anchor, positive, negatives *Var, sim []float32, cands int) {
	rows, d := anchor.val.Shape[0], anchor.val.Shape[1]
	a, p := anchor.val.Data, positive.val.Data
	if negatives == nil {
		t.Backend.Sgemm(false, true, rows, rows, d, 1, a, d, p, d, 0, sim, rows)
		return
	}
	ng := negatives.val.Data
	m := cands - 1
	for i := 0; i < rows; i++ {
		ai := a[i*d : (i+1)*d]
		sim[i*cands] = dot32(ai, p[i*d:(i+1)*d])
		for j := 0; j < m; j++ {
			off := (i*m + j) * d
			sim[i*cands+1+j] = dot32(ai, ng[off:off+d])
		}
	}
}

func dot32(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// backwardInfoNCE uses dlogit = (softmax − onehot)/N, dsim = dlogit/τ and
// dτ = −Σ dlogit·sim/τ².
func backwardInfoNCE(t *Tape, n *node) {
	anchor, positive, negatives, tau := n.a, n.b, n.c, n.d
	rows, d := anchor.val.Shape[0], anchor.val.Shape[1]
	if rows == 0 {
		return
	}
	cands, sim, prob := n.i0, n.buf, n.buf2
	g := n.out.grad.Data[0] / float32(rows)
	invTau := 1 / tau.val.Data[0]

	dsim := t.f32.get(rows * cands)
	var dTau float32
	for i := 0; i < rows; i++ {
		target := i
		if negatives != nil {
			target = 0
		}
		for c := 0; c < cands; c++ {
			dl := prob[i*cands+c]
			if c == target {
				dl--
			}
			dl *= g
			dTau -= dl * sim[i*cands+c] * invTau * invTau
			dsim[i*cands+c] = dl * invTau
		}
	}
	if dt := t.gradIfNeeded(tau); dt != nil {
		dt[0] += dTau
	}

	da, dp := t.gradIfNeeded(anchor), t.gradIfNeeded(positive)
	a, p := anchor.val.Data, positive.val.Data
	if negatives == nil {
		if da != nil {
			t.Backend.Sgemm(false, false, rows, d, rows, 1, dsim, rows, p, d, 1, da, d)
		}
		if dp != nil {
			t.Backend.Sgemm(true, false, rows, d, rows, 1, dsim, rows, a, d, 1, dp, d)
		}
		return
	}

	dn := t.gradIfNeeded(negatives)
	ng, m := negatives.val.Data, cands-1
	for i := 0; i < rows; i++ {
		for c := 0; c < cands; c++ {
			s := dsim[i*cands+c]
			other := p[i*d : (i+1)*d]
			if c > 0 {
				other = ng[(i*m+c-1)*d : (i*m+c)*d]
			}
			for j := 0; j < d; j++ {
				if da != nil {
					da[i*d+j] += s * other[j]
				}
				switch {
				case c == 0 && dp != nil:
					dp[i*d+j] += s * a[i*d+j]
				case c > 0 && dn != nil:
					dn[(i*m+c-1)*d+j] += s * a[i*d+j]
				}
			}
		}
	}
}
