package joint

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// QueryItemAlign is the query–item contrastive loss of SESRec and UniSAR (feature_align and
// infoNCE in models/SESRec.py and models/layers.py). Each (query, clicked item) pair of the
// search histories is a positive under the bilinear similarity tanh(aᵀ W b)/τ. Its negatives
// are a shared set of random items when the query is the anchor, and of random queries when
// the item is. The loss is the mean of the two directions, with the positive in the denominator.
type QueryItemAlign struct {
	// W is the [Dim, Dim] bilinear matrix (Xavier-normal) and Tau the learnable temperature.
	W, Tau *nn.Param
}

// NewQueryItemAlign returns the loss's parameters named name, with τ initialised to temp.
func NewQueryItemAlign(name string, dim int, temp float32, rng *rand.Rand) *QueryItemAlign {
	return &QueryItemAlign{W: XavierParam(name+".weight_matrix", dim, dim, rng), Tau: ConstParam(name+".temp", temp)}
}

// Params returns W, then Tau.
func (a *QueryItemAlign) Params() []*nn.Param { return []*nn.Param{a.W, a.Tau} }

// Loss returns ½(L(q→i) + L(i→q)) for paired rows queries [N, d] and items [N, d], with
// negItems [M, d] and negQueries [M, d] as the negatives of every row.
func (a *QueryItemAlign) Loss(queries, items, negItems, negQueries *nn.Var) *nn.Var {
	t := queries.Tape()
	w, tau := t.Param(a.W), t.Param(a.Tau)
	forward := alignDirection(queries, items, negItems, w, tau)
	backward := alignDirection(items, queries, negQueries, w, tau)
	return nn.Scale(nn.Add(forward, backward), 0.5)
}

// alignDirection returns the mean over rows of −log softmax(logits)[0], where logits are the
// positive's and then each negative's tanh(anchorᵀ W ·)/τ.
func alignDirection(anchor, positive, negatives, w, tau *nn.Var) *nn.Var {
	projected := nn.MatMul(anchor, w, false, false)
	pos := nn.SumAxis(nn.Mul(projected, positive), -1, true)
	neg := nn.MatMul(projected, negatives, false, true)
	logits := nn.Div(nn.Tanh(nn.Concat(-1, pos, neg)), tau)
	return nn.Scale(nn.Mean(nn.Narrow(nn.LogSoftmax(logits), 1, 0, 1)), -1)
}

// Pair is one (query, clicked item) pair of a search history.
type Pair struct{ Query, Item int32 }

// HistoryPairs returns the distinct (query, clicked item) pairs of the batch's search
// histories, in order of first occurrence. When there are more than limit (and limit > 0), it
// keeps limit of them drawn without replacement with rng, in their original order.
//
// NOTE: the reference code uses every pair, repeats included, against 1024 negatives. That
// costs pairs × 1024 similarities per step, too many for CPUs, so repeats are dropped and the
// count is capped.
func HistoryPairs(clicks, queries []int32, clickWidth, limit int, rng *rand.Rand) []Pair {
	seen := make(map[Pair]bool)
	var pairs []Pair
	for s, q := range queries {
		if q < 0 {
			continue
		}
		for _, item := range clicks[s*clickWidth : (s+1)*clickWidth] {
			p := Pair{q, item}
			if item < 0 || seen[p] {
				continue
			}
			seen[p] = true
			pairs = append(pairs, p)
		}
	}
	if limit <= 0 || len(pairs) <= limit {
		return pairs
	}
	keep := make([]bool, len(pairs))
	for _, i := range rng.Perm(len(pairs))[:limit] {
		keep[i] = true
	}
	out := pairs[:0]
	for i, p := range pairs {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// RandomIDs returns n ids drawn uniformly from [0, num) with rng.
func RandomIDs(n, num int, rng *rand.Rand) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(rng.IntN(num))
	}
	return ids
}
