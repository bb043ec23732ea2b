package nn

import (
	"fmt"
	"math"
)

// LayerNormEps is PyTorch's default epsilon for LayerNorm.
const LayerNormEps = 1e-5

// LayerNorm normalises x over its last axis to zero mean and unit variance (the biased
// variance, with eps added before the square root, as torch.nn.LayerNorm). It then applies
// gain and bias, each of the last axis's length, and either may be nil to skip it. Forward and
// backward are fused: the backward pass reuses the saved per-row mean and 1/σ. It panics on a
// gain or bias of another length.
func LayerNorm(x, gain, bias *Var, eps float32) *Var {
	t := x.tape
	checkTape(t, gain, bias)
	rows, n := lastDim(x.val.Shape)
	for _, p := range []*Var{gain, bias} {
		if p != nil && len(p.val.Data) != n {
			panic(fmt.Sprintf("nn: LayerNorm: gain or bias has shape %s, want [%d]", shapeString(p.val.Shape), n))
		}
	}
	out := t.outputDirty(x.val.Shape...) // every row is written below
	stats := t.f32.get(2 * rows)         // per row: mean, 1/σ
	xs, y := x.val.Data, out.val.Data
	for r := 0; r < rows; r++ {
		xr, yr := xs[r*n:(r+1)*n], y[r*n:(r+1)*n]
		mean, rstd := rowMoments(xr, eps)
		stats[2*r], stats[2*r+1] = mean, rstd
		for j, v := range xr {
			h := (v - mean) * rstd
			if gain != nil {
				h *= gain.val.Data[j]
			}
			if bias != nil {
				h += bias.val.Data[j]
			}
			yr[j] = h
		}
	}
	if nd := t.record(backwardLayerNorm, out, x, gain, bias); nd != nil {
		nd.a, nd.b, nd.c, nd.buf = x, gain, bias, stats
	}
	return out
}

// rowMoments returns the mean and 1/sqrt(biased variance + eps) of x, accumulated in float64.
func rowMoments(x []float32, eps float32) (mean, rstd float32) {
	if len(x) == 0 {
		return 0, 0
	}
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	m := s / float64(len(x))
	var ss float64
	for _, v := range x {
		d := float64(v) - m
		ss += d * d
	}
	return float32(m), float32(1 / math.Sqrt(ss/float64(len(x))+float64(eps)))
}

// backwardLayerNorm applies dx = (1/σ)·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·gain, and
// sums dy·x̂ and dy over rows into the gain and bias gradients.
func backwardLayerNorm(t *Tape, nd *node) {
	x, gain, bias := nd.a, nd.b, nd.c
	rows, n := lastDim(x.val.Shape)
	dx, dg, db := t.gradIfNeeded(x), t.gradIfNeeded(gain), t.gradIfNeeded(bias)
	xs, dy, stats := x.val.Data, nd.out.grad.Data, nd.buf
	for r := 0; r < rows; r++ {
		xr, gr := xs[r*n:(r+1)*n], dy[r*n:(r+1)*n]
		mean, rstd := stats[2*r], stats[2*r+1]
		var sumG, sumGX float32
		for j, g := range gr {
			xh := (xr[j] - mean) * rstd
			if gain != nil {
				g *= gain.val.Data[j]
			}
			sumG += g
			sumGX += g * xh
			if dg != nil {
				dg[j] += gr[j] * xh
			}
			if db != nil {
				db[j] += gr[j]
			}
		}
		if dx == nil {
			continue
		}
		inv := 1 / float32(n)
		dr := dx[r*n : (r+1)*n]
		for j, g := range gr {
			xh := (xr[j] - mean) * rstd
			if gain != nil {
				g *= gain.val.Data[j]
			}
			dr[j] += rstd * (g - sumG*inv - xh*sumGX*inv)
		}
	}
}
