package dhim

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// interactionAttention is the attention of eqs. 7–10: weights softmax_j MLP(k_j ‖ q ‖ k_j−q ‖
// k_j⊙q) over the kept positions, applied to a value sequence.
type interactionAttention struct {
	mlp *layer.MLP
}

func newInteractionAttention(name string, o Options, rng *rand.Rand) *interactionAttention {
	cfg := layer.MLPConfig{In: 4 * o.Dim, Hidden: o.AttnHidden, Out: 1, Activation: layer.ActReLU}
	return &interactionAttention{mlp: layer.NewMLP(name, cfg, rng)}
}

// forward returns Σ_j softmax_j(MLP(...))·values_j as [B, d] for keys and values [B, L, d], a
// query [B, d] and a key mask [B, L]. A row with no kept position gives a zero row.
//
// The MLP's first layer is linear in its input, so with its weight split by column blocks
// W = [W_k, W_q, W_d, W_p] it equals k_j·(W_k+W_d)ᵀ + q·(W_q−W_d)ᵀ + (k_j⊙q)·W_pᵀ + b. The
// query term is computed once per row instead of once per position, which halves the
// product over [B, L, ·] and never builds the [B, L, 4d] input.
func (a *interactionAttention) forward(keys, query, values *nn.Var, keep *nn.Mask) *nn.Var {
	t := keys.Tape()
	b, l, d := keys.Shape()[0], keys.Shape()[1], keys.Shape()[2]
	first := a.mlp.Output // an MLP without hidden layers is its output layer
	if len(a.mlp.Layers) > 0 {
		first = a.mlp.Layers[0]
	}
	w := t.Param(first.Weight) // [h, 4d]
	block := func(i int) *nn.Var { return nn.Narrow(w, 1, i*d, d) }
	wKey := nn.Concat(1, nn.Add(block(0), block(2)), block(3)) // over [k_j ‖ k_j⊙q]
	wQuery := nn.Sub(block(1), block(2))

	q := nn.Reshape(query, b, 1, d)
	perKey := nn.MatMul(nn.Concat(-1, keys, nn.Mul(keys, q)), wKey, false, true) // [B, L, h]
	var bias *nn.Var
	if first.Bias != nil {
		bias = t.Param(first.Bias)
	}
	perRow := nn.Affine(query, wQuery, bias) // [B, h]
	hidden := nn.Add(perKey, nn.Reshape(perRow, b, 1, first.Out))
	scores := nn.Reshape(mlpFrom(a.mlp, hidden), b, l)
	weights := nn.Reshape(nn.MaskedSoftmax(scores, keep), b, 1, l)
	return nn.Reshape(nn.MatMul(weights, values, false, false), b, d)
}

// mlpFrom continues m from z, the output of its first Linear layer: activation and dropout of
// the first hidden layer, then the remaining layers as layer.MLP.Forward runs them. An MLP
// without hidden layers is complete after its first (output) layer.
func mlpFrom(m *layer.MLP, z *nn.Var) *nn.Var {
	if len(m.Layers) == 0 {
		return z
	}
	for i := range m.Layers {
		if i > 0 {
			z = m.Layers[i].Forward(z)
		}
		z = nn.Dropout(m.Activations[i].Forward(z), m.Dropout)
	}
	if m.Output != nil {
		z = m.Output.Forward(z)
	}
	return z
}

func (a *interactionAttention) Params() []*nn.Param { return a.mlp.Params() }

// horizonEncoders are the long- and short-term interest encoders of one scenario.
type horizonEncoders struct {
	// Long-term: q_ℓ = userProj(e_u), v_j = behaviorProj(h_j), eqs. 7–8.
	userProj, behaviorProj *layer.Linear
	longAttn               *interactionAttention
	// Short-term: o = GRU(H), q_s = last valid o, õ_j = stateProj(o_j), eqs. 9–10.
	gru       *layer.GRU
	stateProj *layer.Linear
	shortAttn *interactionAttention
}

func newHorizonEncoders(name string, o Options, rng *rand.Rand) *horizonEncoders {
	d := o.Dim
	return &horizonEncoders{
		userProj:     layer.NewLinear(name+"_long.user_proj", d, d, true, rng),
		behaviorProj: layer.NewLinear(name+"_long.behavior_proj", d, d, true, rng),
		longAttn:     newInteractionAttention(name+"_long.attention", o, rng),
		gru:          layer.NewGRU(name+"_short.gru", d, d, rng),
		stateProj:    layer.NewLinear(name+"_short.state_proj", d, d, true, rng),
		shortAttn:    newInteractionAttention(name+"_short.attention", o, rng),
	}
}

func (h *horizonEncoders) Params() []*nn.Param {
	return layer.Collect(h.userProj, h.behaviorProj, h.longAttn, h.gru, h.stateProj, h.shortAttn)
}

// long returns u_ℓ = Σ_j α_j h_j [B, d] for behaviours hs [B, L, d] with mask keep [B, L].
func (h *horizonEncoders) long(user, hs *nn.Var, keep *nn.Mask) *nn.Var {
	return h.longAttn.forward(h.behaviorProj.Forward(hs), h.userProj.Forward(user), hs, keep)
}

// short returns u_s = Σ_j β_j õ_j [B, d] for left-aligned behaviours [B, L, d] of the given
// lengths, with their left-aligned mask, and the GRU's last valid state o_N.
func (h *horizonEncoders) short(left *nn.Var, lengths []int, keep *nn.Mask) (u, last *nn.Var) {
	states, last := h.gru.Forward(left, lengths)
	projected := h.stateProj.Forward(states)
	return h.shortAttn.forward(projected, last, projected, keep), last
}

// leftAlign returns the rows of a right-aligned sequence x [B, L, d] (row r holds its n_r
// entries in slots L−n_r … L−1) moved to slots 0 … n_r−1, the layout layer.GRU expects, with
// the lengths n_r and the left-aligned mask [B, L].
func leftAlign(x *nn.Var, ids []int32) (*nn.Var, []int, *nn.Mask) {
	t := x.Tape()
	b, l, d := x.Shape()[0], x.Shape()[1], x.Shape()[2]
	lengths := make([]int, b)
	gather := make([]int32, b*l)
	keep := t.NewMask(b, l)
	for r := range b {
		n := 0
		for _, id := range ids[r*l : (r+1)*l] {
			if id != nn.PaddingID {
				n++
			}
		}
		lengths[r] = n
		for p := range l {
			if p < n {
				gather[r*l+p] = int32(r*l + l - n + p)
				keep.Keep[r*l+p] = true
			} else {
				gather[r*l+p] = nn.PaddingID
			}
		}
	}
	return nn.Reshape(nn.Gather(nn.Reshape(x, b*l, d), gather), b, l, d), lengths, keep
}
