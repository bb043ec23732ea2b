package joint

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// TargetAttention is the bilinear target attention of UniSAR and SESRec (Target_Attention in
// models/UniSAR.py and models/SESRec.py). History position l gets the score h_lᵀ W e for
// candidate item e, and the history is pooled with the softmax of the scores over its kept
// positions.
type TargetAttention struct {
	// W is the [Dim, Dim] bilinear matrix, drawn Xavier-normal.
	W *nn.Param
}

// NewTargetAttention returns a target attention named name for width dim.
func NewTargetAttention(name string, dim int, rng *rand.Rand) *TargetAttention {
	return &TargetAttention{W: XavierParam(name+".W", dim, dim, rng)}
}

// Params returns W.
func (a *TargetAttention) Params() []*nn.Param { return []*nn.Param{a.W} }

// Scores returns the raw scores [B, C, L] of history [B, L, d] against candidates [B, C, d].
// Callers pool them with Pool, once per mask.
func (a *TargetAttention) Scores(history, candidates *nn.Var) *nn.Var {
	t := history.Tape()
	// (e Wᵀ)·h_l = h_lᵀ W e, so one product with W per candidate, then one batched product.
	projected := nn.MatMul(candidates, t.Param(a.W), false, true)
	return nn.MatMul(projected, history, false, true)
}

// Pool returns the history [B, L, d] pooled per candidate with the softmax of scores [B, C, L]
// over the positions keep [B, 1, L] keeps, as [B, C, d]. A row that keeps no position pools to
// zeros.
func Pool(scores, history *nn.Var, keep *nn.Mask) *nn.Var {
	return nn.MatMul(nn.MaskedSoftmax(scores, keep), history, false, false)
}

// RowMask returns the [B, 1, L] mask that keeps position (b, l) when ids[b·L+l] is not
// nn.PaddingID: the key mask of a history for attention from C candidates.
func RowMask(t *nn.Tape, ids []int32, b, l int) *nn.Mask {
	m := t.NewMask(b, 1, l)
	for i, id := range ids[:b*l] {
		m.Keep[i] = id != nn.PaddingID
	}
	return m
}
