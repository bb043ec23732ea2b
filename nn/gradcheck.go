package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GradCheckConfig sets the finite-difference gradient check. Zero fields take the defaults
// listed on each field.
type GradCheckConfig struct {
	// Step is the central-difference step h (default 1e-2). The forward pass runs in float32,
	// so a smaller h drowns the difference in rounding error (about 1e-7·|loss|/h).
	Step float64
	// Tol is the largest accepted error (default 1e-2), where the error of one element is
	// |analytic − numeric| / max(|analytic|, |numeric|, Floor).
	Tol float64
	// Floor keeps the relative error of near-zero gradients from exploding (default 1e-2); below
	// it the error is measured in absolute terms, scaled by 1/Floor.
	Floor float64
	// Seed seeds the tape before every evaluation, so Dropout draws the same mask each time, and
	// seeds the random output weights (default 1).
	Seed uint64
	// Train sets Tape.Train for every evaluation.
	Train bool
	// Backend replaces DefaultBackend() when set.
	Backend Backend
}

// GradCheckResult reports the worst element of a gradient check.
type GradCheckResult struct {
	// MaxErr is the largest error over all checked elements (see GradCheckConfig.Tol).
	MaxErr float64
	// Param and Index name the element with the largest error.
	Param string
	Index int
	// Analytic and Numeric are the two gradients of that element.
	Analytic, Numeric float64
	// Checked counts the elements compared.
	Checked int
}

// GradCheck compares the gradients that Backward computes for params with central
// differences of the objective. The function f builds the forward pass on the tape it is given
// (reading parameters through Tape.Param) and returns an output of any shape. The objective
// is Σ w_i·out_i with fixed random weights w_i in [−1, 1], so that every output element
// contributes. It is evaluated in float64 from the float32 outputs.
//
// Each element of each parameter is perturbed by ±Step; the difference quotient divides by the
// perturbation that float32 actually stored. It returns the worst element and a non-nil error
// naming it when its error exceeds Tol. f must be deterministic given the tape's seed. The
// parameters' values are restored before GradCheck returns; their Grad is overwritten.
func GradCheck(f func(t *Tape) *Var, params []*Param, cfg GradCheckConfig) (GradCheckResult, error) {
	cfg = cfg.withDefaults()
	t := NewTape(cfg.Seed)
	if cfg.Backend != nil {
		t.Backend = cfg.Backend
	}
	t.Train = cfg.Train

	out := f(t)
	weights := randomWeights(len(out.val.Data), cfg.Seed)
	loss := Sum(Mul(out, t.Const(&Tensor{Shape: out.val.Shape, Data: weights})))
	t.Backward(loss)
	ReduceGrads([]*Tape{t}, params)

	var res GradCheckResult
	for _, p := range params {
		analytic := append([]float32(nil), p.Grad.Data...)
		for i := range p.Value.Data {
			numeric, err := centralDifference(t, f, p, i, weights, cfg)
			if err != nil {
				return res, err
			}
			a := float64(analytic[i])
			e := math.Abs(a-numeric) / math.Max(math.Max(math.Abs(a), math.Abs(numeric)), cfg.Floor)
			res.Checked++
			if e > res.MaxErr || math.IsNaN(e) {
				res.MaxErr, res.Param, res.Index, res.Analytic, res.Numeric = e, p.Name, i, a, numeric
			}
		}
	}
	if res.MaxErr > cfg.Tol || math.IsNaN(res.MaxErr) {
		return res, fmt.Errorf("nn: gradient check failed for %s[%d]: analytic %.6g, numeric %.6g, error %.3g exceeds tolerance %.3g",
			res.Param, res.Index, res.Analytic, res.Numeric, res.MaxErr, cfg.Tol)
	}
	return res, nil
}

func (cfg GradCheckConfig) withDefaults() GradCheckConfig {
	if cfg.Step == 0 {
		cfg.Step = 1e-2
	}
	if cfg.Tol == 0 {
		cfg.Tol = 1e-2
	}
	if cfg.Floor == 0 {
		cfg.Floor = 1e-2
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	return cfg
}

func randomWeights(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(2*rng.Float64() - 1)
	}
	return w
}

// centralDifference returns (L(x+h) − L(x−h)) / (x₊ − x₋) for element i of p, where x₊ and x₋
// are the float32 values actually stored.
func centralDifference(t *Tape, f func(*Tape) *Var, p *Param, i int, w []float32, cfg GradCheckConfig) (float64, error) {
	orig := p.Value.Data[i]
	defer func() { p.Value.Data[i] = orig }()
	eval := func(x float32) (float64, error) {
		p.Value.Data[i] = x
		t.Reset()
		t.Seed(cfg.Seed)
		out := f(t)
		if len(out.val.Data) != len(w) {
			return 0, fmt.Errorf("nn: gradient check: output size changed from %d to %d between evaluations", len(w), len(out.val.Data))
		}
		var s float64
		for j, v := range out.val.Data {
			s += float64(w[j]) * float64(v)
		}
		return s, nil
	}
	xp := float32(float64(orig) + cfg.Step)
	xm := float32(float64(orig) - cfg.Step)
	lp, err := eval(xp)
	if err != nil {
		return 0, err
	}
	lm, err := eval(xm)
	if err != nil {
		return 0, err
	}
	return (lp - lm) / (float64(xp) - float64(xm)), nil
}
