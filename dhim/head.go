package dhim

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// candidateHead holds one scenario's candidate-dependent modules: the long–short adaptive gate
// of eqs. 19–20 and the bilinear target attention over the scenario's behaviours.
type candidateHead struct {
	// gru compresses H_t into h_f (unless Options.ShareGateGRU).
	gru *layer.GRU
	// The gate MLP over [h_f ‖ e_i ‖ û_ℓ ‖ û_s] has one hidden ReLU layer. Its first layer is
	// split into a per-row part (rowIn, over h_f, û_ℓ, û_s) and a per-candidate part (itemIn,
	// over e_i, no bias), which sum to the same product as one layer over the concatenation.
	rowIn, itemIn, gateOut *layer.Linear
	// targetW is the bilinear target-attention matrix [d, d]: score_j = h_jᵀ W e_i.
	targetW *nn.Param
}

func newCandidateHead(name string, o Options, rng *rand.Rand) *candidateHead {
	d, h := o.Dim, o.AdaptiveHidden
	return &candidateHead{
		gru:     layer.NewGRU(name+"_adaptive.gru", d, d, rng),
		rowIn:   layer.NewLinear(name+"_adaptive.row_in", 3*d, h, true, rng),
		itemIn:  layer.NewLinear(name+"_adaptive.item_in", d, h, false, rng),
		gateOut: layer.NewLinear(name+"_adaptive.out", h, 1, true, rng),
		targetW: xavierParam(name+"_target_attention.weight", rng, d, d),
	}
}

func (c *candidateHead) Params() []*nn.Param {
	return append(layer.Collect(c.gru, c.rowIn, c.itemIn, c.gateOut), c.targetW)
}

// scenarioState is what one scenario contributes to scoring a sample's candidates; it is
// computed once per sample.
type scenarioState struct {
	// h is the behaviour sequence H_t [B, L, d] and keep its mask [B, 1, L].
	h    *nn.Var
	keep *nn.Mask
	// rowGate is rowIn([h_f ‖ û_ℓ ‖ û_s]) reshaped [B, 1, hidden].
	rowGate *nn.Var
	// uLong and uShort are û_ℓ and û_s as [B, 1, d].
	uLong, uShort *nn.Var
}

// prepare computes the per-sample part of the head from H_t, its [B, L] mask and h_f.
func (c *candidateHead) prepare(h *nn.Var, keep *nn.Mask, hf, uLong, uShort *nn.Var) *scenarioState {
	t := h.Tape()
	b, l, d := h.Shape()[0], h.Shape()[1], h.Shape()[2]
	keep3 := t.NewMask(b, 1, l)
	copy(keep3.Keep, keep.Keep)
	rowGate := c.rowIn.Forward(nn.Concat(-1, hf, uLong, uShort))
	return &scenarioState{
		h: h, keep: keep3,
		rowGate: nn.Reshape(rowGate, b, 1, rowGate.Shape()[1]),
		uLong:   nn.Reshape(uLong, b, 1, d),
		uShort:  nn.Reshape(uShort, b, 1, d),
	}
}

// score returns, for candidate embeddings e_i [B, C, d], the target-attention summary h_t and
// the adaptively fused interest u_i^t, each [B, C, d].
func (c *candidateHead) score(s *scenarioState, items *nn.Var) (target, interest *nn.Var) {
	t := items.Tape()
	// α = σ(MLP(h_f ‖ e_i ‖ û_ℓ ‖ û_s)) per candidate, eq. 19.
	hidden := nn.ReLU(nn.Add(c.itemIn.Forward(items), s.rowGate))
	alpha := nn.Sigmoid(c.gateOut.Forward(hidden)) // [B, C, 1]
	interest = nn.Add(s.uShort, nn.Mul(alpha, nn.Sub(s.uLong, s.uShort)))

	// Target attention: weights softmax_j(h_jᵀ W e_i) over the kept behaviours.
	projected := nn.MatMul(items, t.Param(c.targetW), false, true) // W e_i, [B, C, d]
	scores := nn.MatMul(projected, s.h, false, true)               // [B, C, L]
	weights := nn.MaskedSoftmax(scores, s.keep)
	target = nn.MatMul(weights, s.h, false, false)
	return target, interest
}
