package block

import (
	"fmt"

	"github.com/srbench/srbench/nn"
)

// maskedLogit is added to the logit of an excluded candidate. Logits are tanh(·)/τ, so their
// magnitude stays far below it for any temperature above 1e-30, and exp of the difference is 0
// in float32.
const maskedLogit = -1e30

// BilinearSim returns the [N, M] matrix tanh(a_i^T W b_j)/τ for a [N, d], b [M, d], W [d, d] and
// a one-element temperature tau: the similarity of DHIM's query–item contrast, and of UniSAR's
// alignment loss, scaled by the inverse temperature.
func BilinearSim(a, b, w, tau *nn.Var) *nn.Var {
	return nn.Div(nn.Tanh(nn.MatMul(nn.MatMul(a, w, false, false), b, false, true)), tau)
}

// BiCL returns the bidirectional InfoNCE loss of paired rows a_i ↔ b_i under the bilinear
// similarity of BilinearSim: the mean over valid rows i of −log softmax_j(s_ij)[i] (a_i against
// every valid b_j) plus the mean over valid rows of −log softmax_j(s_ji)[i] (b_i against every
// valid a_j). The positive is part of each denominator, as in the usual InfoNCE, and the other
// rows of the batch are the negatives.
//
// valid marks the rows that take part (nil: all); an invalid row is neither an anchor nor a
// negative. group assigns rows to groups (nil: each row its own group); rows of the same group
// are never each other's negatives, which keeps two clicked items of one query session from
// competing. It returns a zero constant when no row is valid. It panics if a and b differ in
// shape or valid or group has the wrong length.
func BiCL(a, b, w, tau *nn.Var, valid []bool, group []int32) *nn.Var {
	t := a.Tape()
	n := a.Shape()[0]
	if b.Shape()[0] != n {
		panic(fmt.Sprintf("block: BiCL: %d anchors and %d positives", n, b.Shape()[0]))
	}
	if (valid != nil && len(valid) != n) || (group != nil && len(group) != n) {
		panic(fmt.Sprintf("block: BiCL: %d rows with %d valid flags and %d groups", n, len(valid), len(group)))
	}
	isValid := func(i int) bool { return valid == nil || valid[i] }
	count := 0
	for i := range n {
		if isValid(i) {
			count++
		}
	}
	if count == 0 {
		return t.Zeros(1)
	}

	bias := t.Zeros(n, n)
	diag := t.Zeros(n, n)
	bd, dd := bias.Data(), diag.Data()
	for i := range n {
		if isValid(i) {
			dd[i*n+i] = -1 / float32(count)
		}
		for j := range n {
			keep := isValid(i) && isValid(j) && (i == j || group == nil || group[i] != group[j])
			if !keep {
				bd[i*n+j] = maskedLogit
			}
		}
	}

	sim := nn.Add(BilinearSim(a, b, w, tau), bias)
	rowLoss := nn.Sum(nn.Mul(nn.LogSoftmax(sim), diag))
	colLoss := nn.Sum(nn.Mul(nn.LogSoftmax(nn.Transpose(sim)), diag))
	return nn.Add(rowLoss, colLoss)
}
