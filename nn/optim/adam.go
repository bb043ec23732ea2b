package optim

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/nn"
)

// AdamConfig holds Adam's hyperparameters.
type AdamConfig struct {
	// LR is the learning rate.
	LR float64
	// Beta1 and Beta2 are the decay rates of the first and second moment estimates.
	Beta1, Beta2 float64
	// Eps is added to the denominator after bias correction, as in PyTorch.
	Eps float64
	// WeightDecay is the coefficient of the classic L2 penalty: WeightDecay·θ is added to the
	// gradient of every parameter whose Decay is true before the moments are updated
	// (PyTorch Adam's weight_decay, not AdamW's decoupled decay).
	WeightDecay float64
	// Workers is the number of goroutines that share a large update; 0 or 1 runs it on the
	// calling goroutine. Every element is updated by the same arithmetic whatever the
	// count, so results do not depend on it.
	Workers int
}

// DefaultAdamConfig returns PyTorch's Adam defaults (lr 1e-3, betas 0.9 and 0.999, eps 1e-8)
// with no weight decay. UniSAR trains with these and WeightDecay 3e-5 on KuaiSAR.
func DefaultAdamConfig() AdamConfig {
	return AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// validate rejects hyperparameters outside the ranges where Adam is defined.
func (c AdamConfig) validate() error {
	if err := validateLR(c.LR); err != nil {
		return err
	}
	if !(c.Beta1 >= 0 && c.Beta1 < 1) {
		return fmt.Errorf("optim: Adam Beta1 %v is invalid; it must be in [0, 1)", c.Beta1)
	}
	if !(c.Beta2 >= 0 && c.Beta2 < 1) {
		return fmt.Errorf("optim: Adam Beta2 %v is invalid; it must be in [0, 1)", c.Beta2)
	}
	if !(c.Eps >= 0) || math.IsInf(c.Eps, 0) {
		return fmt.Errorf("optim: Adam Eps %v is invalid; it must be finite and non-negative", c.Eps)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return fmt.Errorf("optim: Adam WeightDecay %v is invalid; it must be finite and non-negative", c.WeightDecay)
	}
	if c.Workers < 0 {
		return fmt.Errorf("optim: Adam Workers %d is invalid; it must be non-negative", c.Workers)
	}
	return nil
}

// Adam is the Adam optimizer with PyTorch's update rule (Kingma and Ba, 2015, with bias
// correction). For a gradient g at step t of a parameter θ:
//
//	g ← g + WeightDecay·θ            (only when Decay is true)
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²
//	θ ← θ − LR/(1−β1^t) · m / (√v/√(1−β2^t) + Eps)
//
// A RowSparse parameter is updated lazily, as PyTorch's SparseAdam does: only the rows in
// Rows have their moments and values changed, and the weight decay term is added only on
// those rows. Rows outside Rows stay bit-identical however many steps pass.
//
// Bias correction for a RowSparse parameter uses a step count per row, the number of steps
// that touched that row, where SparseAdam uses one count per parameter. With one count, a row
// first touched at a late step t gets the correction 1−β^t ≈ 1 although its moments contain a
// single gradient. Its first update is then about (1−β1)/√(1−β2) ≈ 3.2 times the learning
// rate. With per-row counts a row moves exactly as dense Adam would on that row's own
// sequence of gradients, and a row touched at every step matches dense Adam bit for bit.
//
// Parameters whose Grad is nil are skipped and keep their step counts, as PyTorch skips
// parameters without a gradient. Adam is not safe for concurrent use.
type Adam struct {
	cfg    AdamConfig
	lr     float64
	params []*nn.Param
	slots  []adamSlot
	steps  int64
	bias   biasTable
}

// adamSlot holds one parameter's moment estimates and step counts.
type adamSlot struct {
	m, v []float32
	// step counts the updates of a dense parameter.
	step int64
	// rowSteps counts, per row of a RowSparse parameter, the updates that touched the row.
	rowSteps []int64
}

// NewAdam returns an Adam optimizer over params with zero moments. It returns an error for
// invalid hyperparameters, nil parameters, repeated names or a scalar RowSparse parameter.
func NewAdam(params []*nn.Param, cfg AdamConfig) (*Adam, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := validateParams(params); err != nil {
		return nil, err
	}
	a := &Adam{
		cfg:    cfg,
		lr:     cfg.LR,
		params: append([]*nn.Param(nil), params...),
		slots:  make([]adamSlot, len(params)),
		bias:   newBiasTable(cfg.Beta1, cfg.Beta2),
	}
	for i, p := range params {
		n := len(p.Value.Data)
		a.slots[i] = adamSlot{m: make([]float32, n), v: make([]float32, n)}
		if p.RowSparse {
			a.slots[i].rowSteps = make([]int64, p.Value.Shape[0])
		}
	}
	return a, nil
}

// LR returns the current learning rate.
func (a *Adam) LR() float64 { return a.lr }

// SetLR sets the learning rate of later steps. It panics if lr is negative, NaN or infinite.
func (a *Adam) SetLR(lr float64) {
	if !(lr >= 0) || math.IsInf(lr, 0) {
		panic(fmt.Sprintf("optim: Adam.SetLR(%v): learning rate must be finite and non-negative", lr))
	}
	a.lr = lr
}

// Steps returns the number of completed calls to Step.
func (a *Adam) Steps() int64 { return a.steps }

// Step applies one Adam update to every parameter with a gradient. Gradients are read, never
// written. It returns an error, and changes nothing, if a gradient's length differs from its
// value's or a RowSparse parameter's Rows are unsorted, repeated or out of range.
func (a *Adam) Step() error {
	if err := validateGrads(a.params); err != nil {
		return err
	}
	for i, p := range a.params {
		if p.Grad == nil {
			continue
		}
		if p.RowSparse {
			a.stepSparse(p, &a.slots[i])
			continue
		}
		s := &a.slots[i]
		s.step++
		a.bias.at(s.step)
		parallelChunks(len(p.Value.Data), 1, a.cfg.Workers, func(lo, hi int) {
			a.update(p.Value.Data[lo:hi], p.Grad.Data[lo:hi], s.m[lo:hi], s.v[lo:hi], s.step, p.Decay)
		})
	}
	a.steps++
	return nil
}

// stepSparse updates the rows in p.Rows, each with its own step count. Workers take disjoint
// runs of Rows, which are unique, so no two goroutines touch the same row.
func (a *Adam) stepSparse(p *nn.Param, s *adamSlot) {
	w := rowWidth(p)
	a.bias.at(s.maxRowStep(p.Rows) + 1)
	parallelChunks(len(p.Rows), w, a.cfg.Workers, func(first, last int) {
		for _, r := range p.Rows[first:last] {
			s.rowSteps[r]++
			lo, hi := int(r)*w, int(r+1)*w
			a.update(p.Value.Data[lo:hi], p.Grad.Data[lo:hi], s.m[lo:hi], s.v[lo:hi], s.rowSteps[r], p.Decay)
		}
	})
}

// maxRowStep returns the largest step count among rows.
func (s *adamSlot) maxRowStep(rows []int32) int64 {
	var t int64
	for _, r := range rows {
		t = max(t, s.rowSteps[r])
	}
	return t
}

// update applies the Adam rule at step t to equally long slices of values, gradients and
// moments. Arithmetic is float32 like PyTorch's float32 kernels, and the bias-correction
// factors are computed in float64 as PyTorch computes them in Python floats.
func (a *Adam) update(theta, grad, m, v []float32, t int64, decay bool) {
	bc1, sqrtBC2 := a.bias.lookup(t)
	stepSize := float32(a.lr / bc1)
	sqrtBC2f := float32(sqrtBC2)
	beta1, beta2 := float32(a.cfg.Beta1), float32(a.cfg.Beta2)
	// 1−β is formed in float64 before rounding: float32(1)−float32(0.999) is off by 1.3e-5
	// relative, which PyTorch avoids the same way by computing it as a Python float.
	rest1, rest2 := float32(1-a.cfg.Beta1), float32(1-a.cfg.Beta2)
	eps := float32(a.cfg.Eps)
	wd := float32(0)
	if decay {
		wd = float32(a.cfg.WeightDecay)
	}
	theta = theta[:len(grad)]
	m = m[:len(grad)]
	v = v[:len(grad)]
	for i, g := range grad {
		g += wd * theta[i]
		m[i] = beta1*m[i] + rest1*g
		v[i] = beta2*v[i] + rest2*g*g
		denom := sqrt32(v[i])/sqrtBC2f + eps
		theta[i] -= stepSize * (m[i] / denom)
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
