package sesrec

import (
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// coAttention is SESRec's co-attention (CoAttention in models/module.py): the affinity
// L = tanh(R W1 Sᵀ) between the encoded recommendation history R [B, Lr, d] and search history
// S [B, Ls, d], and per history a softmax over its kept positions of the scores
// (S Wdᵀ)ᵀ Lᵀ (for R) and (R Wqᵀ)ᵀ L (for S).
type coAttention struct {
	w1, wq, wd *nn.Param
}

func newCoAttention(name string, d int, rng *rand.Rand) *coAttention {
	return &coAttention{
		w1: joint.XavierParam(name+".W1", d, d, rng),
		wq: joint.XavierParam(name+".Wq", 1, d, rng),
		wd: joint.XavierParam(name+".Wd", 1, d, rng),
	}
}

func (c *coAttention) Params() []*nn.Param { return []*nn.Param{c.w1, c.wq, c.wd} }

// Forward returns the weights [B, 1, Lr] of the recommendation positions and [B, 1, Ls] of
// the search positions; recKeep and srcKeep are [B, 1, L] masks of the kept positions.
func (c *coAttention) Forward(rec, src *nn.Var, recKeep, srcKeep *nn.Mask) (recW, srcW *nn.Var) {
	t := rec.Tape()
	affinity := nn.Tanh(nn.MatMul(nn.MatMul(rec, t.Param(c.w1), false, false), src, false, true)) // [B, Lr, Ls]
	recProj := nn.MatMul(rec, t.Param(c.wq), false, true)                                         // [B, Lr, 1]
	srcProj := nn.MatMul(src, t.Param(c.wd), false, true)                                         // [B, Ls, 1]
	srcScores := nn.MatMul(recProj, affinity, true, false)                                        // [B, 1, Ls]
	recScores := nn.MatMul(srcProj, affinity, true, true)                                         // [B, 1, Lr]
	return nn.MaskedSoftmax(recScores, recKeep), nn.MaskedSoftmax(srcScores, srcKeep)
}

// splitInterests returns the masks [B, 1, L] of a history's similar positions (co-attention
// weight at least 1/n, n kept positions) and dissimilar positions (weight below 1/n). When
// either set is empty, as when all weights are equal, it takes every kept position, as the
// reference's filter_pos_neg does.
func splitInterests(t *nn.Tape, weights *nn.Var, keep *nn.Mask) (similar, dissimilar *nn.Mask) {
	shape := weights.Shape()
	b, l := shape[0], shape[2]
	similar, dissimilar = t.NewMask(b, 1, l), t.NewMask(b, 1, l)
	w := weights.Data()
	for r := range b {
		row := keep.Keep[r*l : (r+1)*l]
		n := 0
		for _, k := range row {
			if k {
				n++
			}
		}
		if n == 0 {
			continue
		}
		gate := 1 / float32(n)
		var nSim, nDis int
		for j, k := range row {
			if !k {
				continue
			}
			if w[r*l+j] >= gate {
				similar.Keep[r*l+j] = true
				nSim++
			} else {
				dissimilar.Keep[r*l+j] = true
				nDis++
			}
		}
		if nSim == 0 {
			copy(similar.Keep[r*l:(r+1)*l], row)
		}
		if nDis == 0 {
			copy(dissimilar.Keep[r*l:(r+1)*l], row)
		}
	}
	return similar, dissimilar
}

// tripletLoss returns the interest contrast of both histories: for each, the triplet margin
// loss of the co-attended summary (anchor) against the mean of its similar positions
// (positive) and the mean of its dissimilar positions (negative), summed over the histories.
func tripletLoss(enc *encoded, margin float32) *nn.Var {
	var total *nn.Var
	for k := range 2 {
		h := enc.hist[k]
		b, l, d := h.Shape()[0], h.Shape()[1], h.Shape()[2]
		anchor := nn.Reshape(nn.MatMul(enc.weights[k], h, false, false), b, d)
		pos, _ := block.MaskedMean(h, flatMask(enc.similar[k], b, l))
		neg, _ := block.MaskedMean(h, flatMask(enc.dissimilar[k], b, l))
		total = joint.AddTerm(total, nn.TripletMargin(anchor, pos, neg, margin), 1)
	}
	return total
}

// flatMask returns a [B, 1, L] mask viewed as [B, L], sharing its Keep slice.
func flatMask(m *nn.Mask, b, l int) *nn.Mask {
	return &nn.Mask{Shape: []int{b, l}, Keep: m.Keep}
}
