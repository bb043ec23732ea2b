package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randParam returns a parameter with values uniform in [-1, 1) from a generator seeded by seed.
func randParam(name string, seed uint64, shape ...int) *Param {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := &Param{Name: name, Value: NewTensor(shape...)}
	for i := range p.Value.Data {
		p.Value.Data[i] = float32(2*rng.Float64() - 1)
	}
	return p
}

// awayFromZero moves every value of p to at least margin from 0, keeping its sign, so that
// kinks at 0 (ReLU, PReLU) stay outside the finite-difference step.
func awayFromZero(p *Param, margin float32) *Param {
	for i, v := range p.Value.Data {
		if v >= 0 && v < margin {
			p.Value.Data[i] = v + margin
		} else if v < 0 && v > -margin {
			p.Value.Data[i] = v - margin
		}
	}
	return p
}

// gradCase is one finite-difference gradient check.
type gradCase struct {
	name   string
	params []*Param
	f      func(t *Tape) *Var
	cfg    GradCheckConfig // zero fields take GradCheck's defaults (step 1e-2, tolerance 1e-2)
}

func runGradCases(t *testing.T, cases []gradCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := GradCheck(c.f, c.params, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Checked == 0 {
				t.Fatal("no element was checked")
			}
		})
	}
}

// near reports whether a and b agree within tol, absolute or relative to the larger magnitude.
func near(a, b, tol float64) bool {
	d := math.Abs(a - b)
	return d <= tol || d <= tol*math.Max(math.Abs(a), math.Abs(b))
}

func assertNear(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !near(float64(got[i]), float64(want[i]), tol) {
			t.Fatalf("%s[%d] = %g, want %g (tolerance %g)", what, i, got[i], want[i], tol)
		}
	}
}
