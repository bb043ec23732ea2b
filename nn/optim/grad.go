package optim

import (
	"errors"
	"fmt"
	"math"

	"github.com/srbench/srbench/nn"
)

// ErrNonFiniteNorm is wrapped by ClipGradNorm's error when the gradient norm is NaN or
// infinite, which usually means the loss diverged.
var ErrNonFiniteNorm = errors.New("gradient norm is not finite")

// clipEps is added to the norm in the clipping coefficient, as PyTorch's clip_grad_norm_ does,
// so the coefficient stays finite for a zero gradient.
const clipEps = 1e-6

// ZeroGrad clears the gradients of params before the next backward pass. A dense gradient is
// zeroed entirely. A RowSparse gradient is zeroed only on the rows in Rows, since the others
// are already zero, and Rows is then truncated to length zero, keeping its capacity for the
// next pass. If Rows holds a row outside the first dimension, the whole gradient is zeroed
// instead. Parameters with a nil Grad are skipped.
func ZeroGrad(params []*nn.Param) {
	for _, p := range params {
		if p == nil || p.Grad == nil {
			continue
		}
		if p.RowSparse && p.Value != nil && len(p.Value.Shape) > 0 && rowsInRange(p) {
			w := rowWidth(p)
			for _, r := range p.Rows {
				clear(p.Grad.Data[int(r)*w : int(r+1)*w])
			}
		} else {
			clear(p.Grad.Data)
		}
		p.Rows = p.Rows[:0]
	}
}

// rowsInRange reports whether every row in p.Rows addresses a complete row of p.Grad.
func rowsInRange(p *nn.Param) bool {
	rows := p.Value.Shape[0]
	if len(p.Grad.Data) != len(p.Value.Data) {
		return false
	}
	for _, r := range p.Rows {
		if r < 0 || int(r) >= rows {
			return false
		}
	}
	return true
}

// GradNorm returns the L2 norm of all gradients of params taken together, accumulated in
// float64. A RowSparse parameter contributes only the rows in Rows. Parameters with a nil Grad
// are skipped. It returns an error if a gradient is malformed (see Adam.Step).
func GradNorm(params []*nn.Param) (float64, error) {
	if err := validateGrads(params); err != nil {
		return 0, err
	}
	sum := 0.0
	visitGrads(params, func(g []float32) {
		for _, x := range g {
			sum += float64(x) * float64(x)
		}
	})
	return math.Sqrt(sum), nil
}

// ClipGradNorm scales all gradients of params by maxNorm/(norm+1e-6) when that factor is
// below 1, as PyTorch's clip_grad_norm_ does, and returns the norm before clipping (see
// GradNorm for which elements count). If the norm is NaN or infinite it leaves the gradients
// unchanged and returns the norm with an error wrapping ErrNonFiniteNorm, so the caller can
// skip the step. It returns an error if maxNorm is not finite and positive or a gradient is
// malformed.
func ClipGradNorm(params []*nn.Param, maxNorm float64) (float64, error) {
	if !(maxNorm > 0) || math.IsInf(maxNorm, 0) {
		return 0, fmt.Errorf("optim: clipping norm %v is invalid; it must be finite and positive", maxNorm)
	}
	norm, err := GradNorm(params)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm, fmt.Errorf("optim: cannot clip gradients with norm %v: %w", norm, ErrNonFiniteNorm)
	}
	coef := maxNorm / (norm + clipEps)
	if coef >= 1 {
		return norm, nil
	}
	scale := float32(coef)
	visitGrads(params, func(g []float32) {
		for i := range g {
			g[i] *= scale
		}
	})
	return norm, nil
}

// visitGrads calls fn on each meaningful gradient slice: the whole gradient of a dense
// parameter, and each row in Rows of a RowSparse one. Gradients must have been validated.
func visitGrads(params []*nn.Param, fn func(g []float32)) {
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		if !p.RowSparse {
			fn(p.Grad.Data)
			continue
		}
		w := rowWidth(p)
		for _, r := range p.Rows {
			fn(p.Grad.Data[int(r)*w : int(r+1)*w])
		}
	}
}
