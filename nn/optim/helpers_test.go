package optim

import (
	"math/rand/v2"
	"testing"

	"github.com/srbench/srbench/nn"
)

// newParam returns a parameter with the given values and a zero gradient of the same shape.
func newParam(name string, shape []int, values []float32) *nn.Param {
	v := nn.NewTensor(shape...)
	copy(v.Data, values)
	return &nn.Param{Name: name, Value: v, Grad: nn.NewTensor(shape...), Decay: true}
}

// newTable returns a RowSparse parameter of rows×width random values from seed.
func newTable(name string, rows, width int, seed uint64) *nn.Param {
	p := newParam(name, []int{rows, width}, nil)
	p.RowSparse = true
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range p.Value.Data {
		p.Value.Data[i] = float32(rng.NormFloat64())
	}
	return p
}

// fillRows writes random gradients into the given rows of p.Grad and sets p.Rows.
func fillRows(p *nn.Param, rows []int32, rng *rand.Rand) {
	w := p.Value.Len() / p.Value.Shape[0]
	for _, r := range rows {
		for j := range w {
			p.Grad.Data[int(r)*w+j] = float32(rng.NormFloat64())
		}
	}
	p.Rows = append(p.Rows[:0], rows...)
}

func mustAdam(t testing.TB, params []*nn.Param, cfg AdamConfig) *Adam {
	t.Helper()
	a, err := NewAdam(params, cfg)
	if err != nil {
		t.Fatalf("NewAdam: %v", err)
	}
	return a
}

func mustStep(t testing.TB, o Optimizer) {
	t.Helper()
	if err := o.Step(); err != nil {
		t.Fatalf("Step: %v", err)
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
