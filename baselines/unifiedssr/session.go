package unifiedssr

import (
	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/nn"
)

// windowHalfWidth is half the width of each session window as a fraction of one partition,
// tanh(ln √(5/3)) = 1/4. In the reference (SequencePartition in modules.py) the windows'
// offsets come from a zero-initialised linear layer and a width bias of ln √(5/3), and they
// enter the model only through comparisons with position indices, so no gradient ever moves
// them: session k of S covers the relative positions [(k+1/4)/S, (k+3/4)/S] of the sequence.
const windowHalfWidth = 0.25

// sessions holds the session windows of one batch of sequences of width L: means [B, S, L]
// averages each window's positions, spread [B, L, S] adds each window's mean back to its
// positions, and valid [B·S] marks non-empty windows.
type sessions struct {
	means, spread *nn.Var
	valid         []bool
	rows, count   int
}

// newSessions cuts the kept positions of each row (keep [B·L], kept positions contiguous at
// the end of the row, as histories are right-aligned) into count windows.
//
// NOTE: the reference scales the windows by the padded length of the batch; here they scale
// by the row's own length, so that a row scores the same in any batch.
func newSessions(t *nn.Tape, keep []bool, b, l, count int) *sessions {
	s := &sessions{means: t.Zeros(b, count, l), spread: t.Zeros(b, l, count), valid: make([]bool, b*count), rows: b, count: count}
	means, spread := s.means.Data(), s.spread.Data()
	for r := range b {
		n := 0
		for _, k := range keep[r*l : (r+1)*l] {
			if k {
				n++
			}
		}
		start := l - n
		covering := make([]int, l)
		var members [][]int
		for k := range count {
			lo := ((float64(k)+0.5)/float64(count) - windowHalfWidth/float64(count)) * float64(n)
			hi := ((float64(k)+0.5)/float64(count) + windowHalfWidth/float64(count)) * float64(n)
			var pos []int
			for rel := range n {
				if float64(rel) >= lo && float64(rel) <= hi {
					pos = append(pos, start+rel)
					covering[start+rel]++
				}
			}
			members = append(members, pos)
		}
		for k, pos := range members {
			if len(pos) == 0 {
				continue
			}
			s.valid[r*count+k] = true
			for _, p := range pos {
				means[(r*count+k)*l+p] = 1 / float32(len(pos))
				spread[(r*l+p)*count+k] = 1 / float32(covering[p])
			}
		}
	}
	return s
}

// apply returns the window means [B, S, d] of x [B, L, d] and x with, at each windowed
// position, the mean of the windows covering it added (intra_corr_loss in model.py).
func (s *sessions) apply(x *nn.Var) (means, augmented *nn.Var) {
	means = nn.MatMul(s.means, x, false, false)
	return means, nn.Add(x, nn.MatMul(s.spread, means, false, false))
}

// intraCorrelation returns the mean over rows of |cos| between consecutive non-empty windows'
// means [B, S, d], the correlation the session module minimises; 0 when no pair exists.
func (s *sessions) intraCorrelation(means *nn.Var) *nn.Var {
	t := means.Tape()
	if s.count < 2 {
		return t.Zeros(1)
	}
	unit := joint.Normalize(means, cosineEps)
	left := nn.Narrow(unit, 1, 0, s.count-1)
	right := nn.Narrow(unit, 1, 1, s.count-1)
	cos := joint.Abs(nn.SumAxis(nn.Mul(left, right), -1, false)) // [B, S-1]
	weights := t.Zeros(s.rows, s.count-1)
	pairs := 0
	for r := range s.rows {
		for k := range s.count - 1 {
			if s.valid[r*s.count+k] && s.valid[r*s.count+k+1] {
				weights.Data()[r*(s.count-1)+k] = 1
				pairs++
			}
		}
	}
	if pairs == 0 {
		return t.Zeros(1)
	}
	return nn.Scale(nn.Sum(nn.Mul(cos, weights)), 1/float32(pairs))
}

// interCorrelation returns the mean over non-empty windows of cos(a_k, b_k) between the window
// means [B, S, d] of the two branches, which share the windows.
func (s *sessions) interCorrelation(a, b *nn.Var) *nn.Var {
	t := a.Tape()
	cos := nn.SumAxis(nn.Mul(joint.Normalize(a, cosineEps), joint.Normalize(b, cosineEps)), -1, false) // [B, S]
	weights := t.Zeros(s.rows, s.count)
	n := 0
	for i, v := range s.valid {
		if v {
			weights.Data()[i] = 1
			n++
		}
	}
	if n == 0 {
		return t.Zeros(1)
	}
	return nn.Scale(nn.Sum(nn.Mul(cos, weights)), 1/float32(n))
}

// cosineEps is the LayerNorm epsilon of joint.Normalize: the norm is sqrt(‖x‖² + d·eps), close
// to PyTorch's cosine_similarity clamp of 1e-8 on each norm for d = 64.
const cosineEps = 1e-10
