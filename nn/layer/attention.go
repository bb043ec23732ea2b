package layer

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// MultiheadAttention is torch.nn.MultiheadAttention with batch_first=True and equal query, key
// and value widths: scaled dot-product attention in Heads heads of width Dim/Heads, with a
// packed input projection and an output projection.
type MultiheadAttention struct {
	// InProj packs the query, key and value projections as one [3·Dim, Dim] weight and
	// [3·Dim] bias, named "name.in_proj_weight" and "name.in_proj_bias" as in PyTorch.
	InProj *Linear
	// OutProj is the output projection, "name.out_proj".
	OutProj *Linear
	// Dim is the model width, a multiple of Heads, the number of heads.
	Dim, Heads int
	// Dropout is the drop probability of the attention weights in training mode.
	Dropout float32
}

// NewMultiheadAttention returns an attention layer named name with Xavier-uniform projections
// and zero biases, as PyTorch initialises in_proj. It panics unless dim is a positive multiple
// of heads and 0 ≤ dropout < 1.
func NewMultiheadAttention(name string, dim, heads int, dropout float32, rng *rand.Rand) *MultiheadAttention {
	if dim <= 0 || heads <= 0 || dim%heads != 0 {
		panic(fmt.Sprintf("layer: NewMultiheadAttention %q: width %d is not a positive multiple of %d heads", name, dim, heads))
	}
	if dropout < 0 || dropout >= 1 {
		panic(fmt.Sprintf("layer: NewMultiheadAttention %q: dropout %g outside [0, 1)", name, dropout))
	}
	return &MultiheadAttention{
		InProj:  newLinearNamed(joinName(name, "in_proj_weight"), joinName(name, "in_proj_bias"), dim, 3*dim, true, rng),
		OutProj: NewLinear(joinName(name, "out_proj"), dim, dim, true, rng),
		Dim:     dim,
		Heads:   heads,
		Dropout: dropout,
	}
}

// AttentionMasks restricts which keys each query may attend to. A nil field keeps every key.
// Both use nn.Mask's convention, true = keep, the opposite of PyTorch's boolean masks.
type AttentionMasks struct {
	// KeyPadding is [B, Lk]: false marks a padded key of that sequence (PyTorch's
	// key_padding_mask, inverted).
	KeyPadding *nn.Mask
	// Attn is [Lq, Lk] for one pattern in every sequence, or [B, Lq, Lk] for one per sequence
	// (PyTorch's attn_mask, inverted). A causal mask keeps key j for query i when j ≤ i.
	Attn *nn.Mask
}

// Forward attends from query [B, Lq, Dim] to key and value [B, Lk, Dim] and returns
// [B, Lq, Dim]. Passing the same Var as query, key and value (self-attention) runs the
// projection as one product, and key == value shares the key-value product.
//
// A query row whose keys are all masked has zero attention weights, and its output row is zero
// rather than PyTorch's NaN, so fully padded sequences are harmless. It panics on mismatched
// shapes or masks that do not broadcast to [B, Lq, Lk].
func (m *MultiheadAttention) Forward(query, key, value *nn.Var, masks AttentionMasks) *nn.Var {
	b, lq, lk := m.checkShapes(query, key, value)
	q, k, v := m.project(query, key, value)
	mask, empty := combineMasks(query.Tape(), masks, b, lq, lk)
	out := m.OutProj.Forward(m.attend(q, k, v, mask))
	if empty != nil {
		out = nn.Mul(out, empty)
	}
	return out
}

// ForwardPacked is Forward on packed sequences: query [qp.Len(), Dim] holds the kept positions
// of qp, and key and value [kp.Len(), Dim] those of kp. The projections run on the packed rows
// only. The attention itself runs on the padded layout, where the padded keys are zero rows, so
// masks must hide them. It returns [qp.Len(), Dim] and panics on mismatched shapes.
func (m *MultiheadAttention) ForwardPacked(query *nn.Var, qp Packing, key, value *nn.Var, kp Packing, masks AttentionMasks) *nn.Var {
	if qp.B != kp.B {
		panic(fmt.Sprintf("layer: MultiheadAttention.ForwardPacked: %d query and %d key sequences", qp.B, kp.B))
	}
	q, k, v := m.project(query, key, value)
	mask, empty := combineMasks(query.Tape(), masks, qp.B, qp.L, kp.L)
	out := m.OutProj.Forward(qp.Pack(m.attend(qp.Unpack(q), kp.Unpack(k), kp.Unpack(v), mask)))
	if empty != nil {
		out = nn.Mul(out, qp.Pack(empty))
	}
	return out
}

// attend returns the heads' scaled dot-product attention of projected q [B, Lq, Dim] over k and
// v [B, Lk, Dim] under mask, concatenated to [B, Lq, Dim].
func (m *MultiheadAttention) attend(q, k, v *nn.Var, mask *nn.Mask) *nn.Var {
	dh := m.Dim / m.Heads
	q = nn.Scale(q, float32(1/math.Sqrt(float64(dh))))
	qs, ks, vs := splitHeads(q, m.Heads, dh), splitHeads(k, m.Heads, dh), splitHeads(v, m.Heads, dh)
	ctx := make([]*nn.Var, m.Heads)
	for h := range m.Heads {
		scores := nn.MatMul(qs[h], ks[h], false, true) // [B, Lq, Lk]
		weights := nn.Dropout(nn.MaskedSoftmax(scores, mask), m.Dropout)
		ctx[h] = nn.MatMul(weights, vs[h], false, false) // [B, Lq, dh]
	}
	return concatHeads(ctx)
}

// checkShapes validates the operands and returns the batch size and the query and key lengths.
func (m *MultiheadAttention) checkShapes(query, key, value *nn.Var) (b, lq, lk int) {
	qs, ks, vs := query.Shape(), key.Shape(), value.Shape()
	if len(qs) != 3 || len(ks) != 3 || len(vs) != 3 || qs[2] != m.Dim || ks[2] != m.Dim || vs[2] != m.Dim ||
		ks[0] != qs[0] || vs[0] != qs[0] || vs[1] != ks[1] {
		panic(fmt.Sprintf("layer: MultiheadAttention: query %v, key %v, value %v; want [B, Lq, %d], [B, Lk, %d], [B, Lk, %d]",
			qs, ks, vs, m.Dim, m.Dim, m.Dim))
	}
	return qs[0], qs[1], ks[1]
}

// project applies the packed input projection, sharing products between equal operands.
func (m *MultiheadAttention) project(query, key, value *nn.Var) (q, k, v *nn.Var) {
	d := m.Dim
	if query == key && key == value {
		qkv := nn.Split(m.InProj.Forward(query), d, d, d)
		return qkv[0], qkv[1], qkv[2]
	}
	t := query.Tape()
	w, bias := t.Param(m.InProj.Weight), t.Param(m.InProj.Bias)
	proj := func(x *nn.Var, lo, n int) *nn.Var {
		return nn.Affine(x, nn.Narrow(w, 0, lo, n), nn.Narrow(bias, 0, lo, n))
	}
	q = proj(query, 0, d)
	if key == value {
		kv := nn.Split(proj(key, d, 2*d), d, d)
		return q, kv[0], kv[1]
	}
	return q, proj(key, d, d), proj(value, 2*d, d)
}

// splitHeads cuts x [B, L, H·dh] into H values [B, L, dh].
func splitHeads(x *nn.Var, heads, dh int) []*nn.Var {
	if heads == 1 {
		return []*nn.Var{x}
	}
	sizes := make([]int, heads)
	for i := range sizes {
		sizes[i] = dh
	}
	return nn.Split(x, sizes...)
}

// concatHeads joins per-head contexts [B, L, dh] along the last axis.
func concatHeads(ctx []*nn.Var) *nn.Var {
	if len(ctx) == 1 {
		return ctx[0]
	}
	return nn.Concat(-1, ctx...)
}

// combineMasks returns one mask broadcastable to [B, Lq, Lk] and, when some query row keeps no
// key, a [B, Lq, 1] constant that is 0 on those rows and 1 elsewhere. Both live on tape t.
func combineMasks(t *nn.Tape, masks AttentionMasks, b, lq, lk int) (*nn.Mask, *nn.Var) {
	kp, am := masks.KeyPadding, masks.Attn
	if kp == nil && am == nil {
		return nil, nil
	}
	if kp != nil && (len(kp.Shape) != 2 || kp.Shape[0] != b || kp.Shape[1] != lk) {
		panic(fmt.Sprintf("layer: MultiheadAttention: key padding mask %v, want [%d, %d]", kp.Shape, b, lk))
	}
	perSeq := 0 // attn mask elements per sequence: 0 when shared by all sequences
	if am != nil {
		switch {
		case len(am.Shape) == 2 && am.Shape[0] == lq && am.Shape[1] == lk:
		case len(am.Shape) == 3 && am.Shape[0] == b && am.Shape[1] == lq && am.Shape[2] == lk:
			perSeq = lq * lk
		default:
			panic(fmt.Sprintf("layer: MultiheadAttention: attention mask %v, want [%d, %d] or [%d, %d, %d]", am.Shape, lq, lk, b, lq, lk))
		}
	}
	mask := t.NewMask(b, lq, lk)
	rowKeep := make([]bool, b*lq)
	anyEmpty := false
	for s := range b {
		for i := range lq {
			row := (s*lq + i) * lk
			for j := range lk {
				keep := (kp == nil || kp.Keep[s*lk+j]) && (am == nil || am.Keep[s*perSeq+i*lk+j])
				mask.Keep[row+j] = keep
				rowKeep[s*lq+i] = rowKeep[s*lq+i] || keep
			}
			anyEmpty = anyEmpty || !rowKeep[s*lq+i]
		}
	}
	if !anyEmpty {
		return mask, nil
	}
	empty := t.Zeros(b, lq, 1)
	for r, keep := range rowKeep {
		if keep {
			empty.Data()[r] = 1
		}
	}
	return mask, empty
}

// Params returns the input projection's weight and bias, then the output projection's.
func (m *MultiheadAttention) Params() []*nn.Param { return Collect(m.InProj, m.OutProj) }
