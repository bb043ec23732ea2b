package nn

import (
	"fmt"
	"math"
)

// DiceEps is the epsilon of the original DIN implementation's Dice (1e-9 inside the square
// root).
const DiceEps = 1e-9

// DiceStats holds per-channel mean and (biased) variance for Dice.
type DiceStats struct {
	Mean, Var []float32
}

// Dice is DIN's data-adaptive activation, y = p·x + (1 − p)·alpha·x with
// p = sigmoid((x − mean) / sqrt(var + eps)) per channel (the last axis of x; all other axes
// are rows).
//
// In training mode (Tape.Train) mean and var are the batch's statistics over the rows (the
// biased variance, as batch normalisation uses), and the gradient flows through them. They
// are copied into batch when it is not nil. The op never writes running, so that parallel
// shards do not race; the caller folds each shard's batch statistics into its running ones
// after the step. In evaluation mode the op reads running, which must then be non-nil.
// alpha has one element or one per channel. It panics on mismatched lengths.
func Dice(x, alpha *Var, eps float32, running, batch *DiceStats) *Var {
	t := x.tape
	checkTape(t, alpha)
	rows, c := lastDim(x.val.Shape)
	if na := len(alpha.val.Data); na != 1 && na != c {
		panic(fmt.Sprintf("nn: Dice: alpha has %d elements, want 1 or the %d channels", na, c))
	}

	stats := t.f32.get(2 * c) // mean, then 1/σ, per channel
	if t.Train {
		batchMoments(x.val.Data, rows, c, eps, stats)
		if batch != nil {
			copyBatchStats(batch, stats, eps)
		}
	} else {
		if running == nil || len(running.Mean) != c || len(running.Var) != c {
			panic(fmt.Sprintf("nn: Dice: evaluation needs running statistics for %d channels", c))
		}
		for j := 0; j < c; j++ {
			stats[j] = running.Mean[j]
			stats[c+j] = float32(1 / math.Sqrt(float64(running.Var[j])+float64(eps)))
		}
	}

	out := t.output(x.val.Shape...)
	prob := t.f32.get(len(x.val.Data))
	xs, al := x.val.Data, alpha.val.Data
	for r := 0; r < rows; r++ {
		for j := 0; j < c; j++ {
			i := r*c + j
			p := sigmoid32((xs[i] - stats[j]) * stats[c+j])
			a := al[j%len(al)]
			prob[i] = p
			out.val.Data[i] = xs[i] * (a + p*(1-a))
		}
	}

	if nd := t.record(backwardDice, out, x, alpha); nd != nil {
		nd.a, nd.b, nd.buf, nd.buf2, nd.flag0 = x, alpha, stats, prob, t.Train
	}
	return out
}

// batchMoments writes the per-channel mean and 1/sqrt(var + eps) of x [rows, c] into stats.
func batchMoments(x []float32, rows, c int, eps float32, stats []float32) {
	for j := 0; j < c; j++ {
		var s float64
		for r := 0; r < rows; r++ {
			s += float64(x[r*c+j])
		}
		m := s / float64(max(rows, 1))
		var ss float64
		for r := 0; r < rows; r++ {
			d := float64(x[r*c+j]) - m
			ss += d * d
		}
		stats[j] = float32(m)
		stats[c+j] = float32(1 / math.Sqrt(ss/float64(max(rows, 1))+float64(eps)))
	}
}

func copyBatchStats(batch *DiceStats, stats []float32, eps float32) {
	c := len(stats) / 2
	if len(batch.Mean) != c {
		batch.Mean = make([]float32, c)
	}
	if len(batch.Var) != c {
		batch.Var = make([]float32, c)
	}
	for j := 0; j < c; j++ {
		batch.Mean[j] = stats[j]
		inv := float64(stats[c+j])
		batch.Var[j] = float32(1/(inv*inv) - float64(eps))
	}
}

// backwardDice differentiates y = x·(α + p(1−α)) with p = σ(x̂), x̂ = (x − μ)/σ. In training
// mode the gradient through μ and σ is that of batch normalisation without affine terms:
// dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) over the rows of each channel.
func backwardDice(t *Tape, nd *node) {
	x, alpha, stats, prob, train := nd.a, nd.b, nd.buf, nd.buf2, nd.flag0
	rows, c := lastDim(x.val.Shape)
	xs, al, dy := x.val.Data, alpha.val.Data, nd.out.grad.Data
	dx, dal := t.gradIfNeeded(x), t.gradIfNeeded(alpha)
	dxh := t.f32.get(len(xs))
	for r := 0; r < rows; r++ {
		for j := 0; j < c; j++ {
			i := r*c + j
			a, p, g := al[j%len(al)], prob[i], dy[i]
			addIf(dal, j%len(al), g*xs[i]*(1-p))
			addIf(dx, i, g*(a+p*(1-a)))
			dxh[i] = g * xs[i] * (1 - a) * p * (1 - p)
		}
	}
	if dx == nil {
		return
	}
	for j := 0; j < c; j++ {
		mean, rstd := stats[j], stats[c+j]
		var sumG, sumGX float32
		if train {
			for r := 0; r < rows; r++ {
				i := r*c + j
				sumG += dxh[i]
				sumGX += dxh[i] * (xs[i] - mean) * rstd
			}
			sumG /= float32(rows)
			sumGX /= float32(rows)
		}
		for r := 0; r < rows; r++ {
			i := r*c + j
			dx[i] += rstd * (dxh[i] - sumG - (xs[i]-mean)*rstd*sumGX)
		}
	}
}
