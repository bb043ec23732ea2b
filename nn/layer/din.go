package layer

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// DINAttention is the activation unit of DIN (Zhou et al., KDD 2018): an MLP over
// [q, k, q−k, q⊙k] scores each key against the query, and the keys are summed with those
// scores as weights. The weights are not normalised by a softmax, so the pooled vector keeps
// the intensity of the user's interest.
type DINAttention struct {
	// MLP maps 4·Dim features to one score ("name.mlp").
	MLP *MLP
	// Dim is the width of the query and of each key.
	Dim int
}

// NewDINAttention returns an activation unit named name for width dim whose MLP has the given
// hidden widths (the harness's DIN baseline uses [64, 16]) and nonlinearity (ActDice or
// ActPReLU in DIN). It panics on invalid sizes.
func NewDINAttention(name string, dim int, hidden []int, act ActivationKind, rng *rand.Rand) *DINAttention {
	return &DINAttention{
		MLP: NewMLP(joinName(name, "mlp"), MLPConfig{In: 4 * dim, Hidden: hidden, Out: 1, Activation: act}, rng),
		Dim: dim,
	}
}

// Scores returns the unnormalised weight of each key, [B, L], for query [B, Dim] and keys
// [B, L, Dim]. A key whose entry in mask [B, L] is false gets weight 0, and a nil mask keeps
// every key. It panics on mismatched shapes.
func (a *DINAttention) Scores(query, keys *nn.Var, mask *nn.Mask) *nn.Var {
	qs, ks := query.Shape(), keys.Shape()
	if len(qs) != 2 || len(ks) != 3 || qs[0] != ks[0] || qs[1] != a.Dim || ks[2] != a.Dim {
		panic(fmt.Sprintf("layer: DINAttention: query %v, keys %v; want [B, %d], [B, L, %d]", qs, ks, a.Dim, a.Dim))
	}
	b, l := ks[0], ks[1]
	t := keys.Tape()
	q := nn.Reshape(query, b, 1, a.Dim)
	scores := a.MLP.forwardFrom(a.firstLayer(query, keys, q), 0) // [B, L, 1]
	if mask != nil {
		if len(mask.Shape) != 2 || mask.Shape[0] != b || mask.Shape[1] != l {
			panic(fmt.Sprintf("layer: DINAttention: mask %v, want [%d, %d]", mask.Shape, b, l))
		}
		keep := t.Zeros(b, l, 1)
		for i, k := range mask.Keep {
			if k {
				keep.Data()[i] = 1
			}
		}
		scores = nn.Mul(scores, keep)
	}
	return nn.Reshape(scores, b, l)
}

// firstLayer returns the first Linear layer of the MLP applied to [q, k, q−k, q⊙k], [B, L, H],
// without building the [B, L, 4·Dim] features. With W = [W_q W_k W_d W_p] split by input
// block, W·[q, k, q−k, q⊙k] = (W_q + W_d)·q + (W_k − W_d)·k + W_p·(q⊙k), and the q term is
// computed once per row instead of once per key, which halves the layer's multiply-adds.
func (a *DINAttention) firstLayer(query, keys, q3 *nn.Var) *nn.Var {
	first := a.MLP.firstLinear()
	t := keys.Tape()
	w := t.Param(first.Weight)
	d := a.Dim
	wq, wk := nn.Narrow(w, 1, 0, d), nn.Narrow(w, 1, d, d)
	wd, wp := nn.Narrow(w, 1, 2*d, d), nn.Narrow(w, 1, 3*d, d)
	var bias *nn.Var
	if first.Bias != nil {
		bias = t.Param(first.Bias)
	}
	perRow := nn.Affine(query, nn.Add(wq, wd), bias) // [B, H]
	perKey := nn.Add(nn.MatMul(keys, nn.Sub(wk, wd), false, true), nn.MatMul(nn.Mul(keys, q3), wp, false, true))
	shape := perRow.Shape()
	return nn.Add(perKey, nn.Reshape(perRow, shape[0], 1, shape[1]))
}

// Forward returns the keys pooled with the weights of Scores, [B, Dim].
func (a *DINAttention) Forward(query, keys *nn.Var, mask *nn.Mask) *nn.Var {
	s := a.Scores(query, keys, mask)
	shape := s.Shape()
	weights := nn.Reshape(s, shape[0], shape[1], 1)
	return nn.SumAxis(nn.Mul(weights, keys), 1, false)
}

// UpdateRunningStats folds the MLP's Dice statistics (see Activation.UpdateRunningStats).
func (a *DINAttention) UpdateRunningStats(tapes []*nn.Tape) { a.MLP.UpdateRunningStats(tapes) }

// Params returns the MLP's parameters.
func (a *DINAttention) Params() []*nn.Param { return a.MLP.Params() }
