package layer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/srbench/srbench/nn"
)

// newRNG returns the seeded generator the tests draw weights and data from.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// inputParam returns a parameter of the given shape filled with N(0, 1) draws, used as a layer
// input so that GradCheck also checks the gradient with respect to the input.
func inputParam(name string, seed uint64, shape ...int) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(shape...)}
	Normal(p, 1, newRNG(seed))
	return p
}

// gradCase is one finite-difference gradient check.
type gradCase struct {
	name   string
	params []*nn.Param
	f      func(t *nn.Tape) *nn.Var
	cfg    nn.GradCheckConfig
}

// runGradCases runs each case as a subtest and fails on the first element over tolerance.
func runGradCases(t *testing.T, cases []gradCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := nn.GradCheck(c.f, c.params, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Checked == 0 {
				t.Fatal("no element was checked")
			}
		})
	}
}

// paramNames returns the names of ps in order.
func paramNames(ps []*nn.Param) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// assertClose fails when got and want differ in length or in any element by more than tol.
func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d elements, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); !(d <= tol) {
			t.Fatalf("%s[%d] = %g, want %g (tolerance %g)", what, i, got[i], want[i], tol)
		}
	}
}

// keyMask returns a [B, L] mask that keeps the first lengths[i] positions of row i.
func keyMask(lengths []int, l int) *nn.Mask {
	m := nn.NewMask(len(lengths), l)
	for i, n := range lengths {
		for j := range n {
			m.Keep[i*l+j] = true
		}
	}
	return m
}

// causalMask returns an [L, L] mask that keeps keys j ≤ i for query i.
func causalMask(l int) *nn.Mask {
	m := nn.NewMask(l, l)
	for i := range l {
		for j := 0; j <= i; j++ {
			m.Keep[i*l+j] = true
		}
	}
	return m
}
