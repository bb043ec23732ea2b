package din

import (
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// history is what DIN computes once per sample and shares among its candidates.
type history struct {
	user    *nn.Var // [B, Dim]
	keys    *nn.Var // [B, L, Dim]
	keyPart *nn.Var // [B, L, H]: the keys' share of the activation unit's first layer
	keep    *nn.Var // [B, 1, L, 1]: 1 for a filled history slot, 0 for padding
}

// itemVectors returns the representations of ids, [shape..., Dim]: item-id embedding joined
// with the finest category's embedding. Padding (-1) gives a zero vector.
func (m *Model) itemVectors(t *nn.Tape, ids []int32, shape ...int) *nn.Var {
	categories := make([]int32, len(ids))
	for i, id := range ids {
		categories[i] = -1
		if id >= 0 {
			categories[i] = m.itemCategory[id]
		}
	}
	return nn.Concat(-1, m.items.Forward(t, ids, shape...), m.categories.Forward(t, categories, shape...))
}

// encodeHistory embeds the user and the history of rows lo..hi of b.
func (m *Model) encodeHistory(t *nn.Tape, b *prep.Batch, lo, hi int) history {
	n, l := hi-lo, b.RecWidth
	items := b.RecItems[lo*l : hi*l]
	h := history{
		user: m.users.Forward(t, b.User[lo:hi]),
		keys: m.itemVectors(t, items, n, l),
		keep: t.Zeros(n, 1, l, 1),
	}
	for i, item := range items {
		if item != nn.PaddingID {
			h.keep.Data()[i] = 1
		}
	}
	_, wk, wd, _ := m.firstWeights(t)
	h.keyPart = nn.MatMul(h.keys, nn.Sub(wk, wd), false, true)
	return h
}

// firstWeights splits the weight [H, 4·Dim] of the activation unit's first layer into the
// blocks [H, Dim] that multiply q, k, q−k and q⊙k.
func (m *Model) firstWeights(t *nn.Tape) (wq, wk, wd, wp *nn.Var) {
	w := t.Param(m.attention.MLP.Layers[0].Weight)
	d := m.cfg.Dim
	return nn.Narrow(w, 1, 0, d), nn.Narrow(w, 1, d, d), nn.Narrow(w, 1, 2*d, d), nn.Narrow(w, 1, 3*d, d)
}

// logits returns the logit of each row's candidates, [B, C], where ids holds B·C item ids row
// by row.
func (m *Model) logits(h history, ids []int32) *nn.Var {
	t := h.keys.Tape()
	shape := h.keys.Shape()
	b, d := shape[0], shape[2]
	c := len(ids) / b
	cand := m.itemVectors(t, ids, b, c)                // [B, C, Dim]
	weights := m.attentionWeights(h, cand)             // [B, C, L]
	pooled := nn.MatMul(weights, h.keys, false, false) // [B, C, Dim]
	user := nn.Add(t.Zeros(b, c, d), nn.Reshape(h.user, b, 1, d))
	out := m.head.Forward(nn.Concat(-1, user, pooled, cand)) // [B, C, 1]
	return nn.Reshape(out, b, c)
}

// attentionWeights returns the activation unit's weight of every history slot for every
// candidate, [B, C, L], for candidates cand [B, C, Dim]; padded slots get 0.
//
// The activation unit's first layer is W·[q, k, q−k, q⊙k] + b, computed as
// (W_q + W_d)·q + (W_k − W_d)·k + W_p·(q⊙k) + b. It is the same function of the same
// weights, but the key term is computed once per sample and the 4·Dim-wide input is never
// built for every (candidate, slot) pair.
func (m *Model) attentionWeights(h history, cand *nn.Var) *nn.Var {
	t := cand.Tape()
	shape := h.keys.Shape()
	b, l, d := shape[0], shape[1], shape[2]
	c := cand.Shape()[1]
	mlp := m.attention.MLP
	first := mlp.Layers[0]
	hidden := first.Out

	wq, _, wd, wp := m.firstWeights(t)
	candPart := nn.Add(nn.MatMul(cand, nn.Add(wq, wd), false, true), t.Param(first.Bias)) // [B, C, H]
	products := nn.Mul(nn.Reshape(cand, b, c, 1, d), nn.Reshape(h.keys, b, 1, l, d))      // [B, C, L, Dim]
	z := nn.MatMul(products, wp, false, true)                                             // [B, C, L, H]
	z = nn.Add(nn.Add(z, nn.Reshape(candPart, b, c, 1, hidden)), nn.Reshape(h.keyPart, b, 1, l, hidden))
	z = mlp.Activations[0].Forward(z)
	for i := 1; i < len(mlp.Layers); i++ {
		z = mlp.Activations[i].Forward(mlp.Layers[i].Forward(z))
	}
	weights := nn.Mul(mlp.Output.Forward(z), h.keep) // [B, C, L, 1]
	return nn.Reshape(weights, b, c, l)
}
