package optim

import (
	"slices"
	"strings"
	"testing"

	"github.com/srbench/srbench/nn"
)

func TestSGDStep(t *testing.T) {
	dense := newParam("w", []int{2}, []float32{1, -2})
	copy(dense.Grad.Data, []float32{0.5, 1})
	bias := newParam("b", []int{1}, []float32{3})
	bias.Decay = false
	bias.Grad.Data[0] = 2
	table := newParam("emb", []int{3, 1}, []float32{1, 1, 1})
	table.RowSparse = true
	table.Grad.Data[1] = 4
	table.Rows = []int32{1}

	s, err := NewSGD([]*nn.Param{dense, bias, table}, 0.1, 0.5)
	if err != nil {
		t.Fatalf("NewSGD: %v", err)
	}
	mustStep(t, s)
	// θ − 0.1·(g + 0.5·θ) for decayed parameters, θ − 0.1·g for the bias.
	cases := []struct {
		name string
		got  []float32
		want []float32
	}{
		{"dense", dense.Value.Data, []float32{1 - 0.1*(0.5+0.5), -2 - 0.1*(1-1)}},
		{"bias without decay", bias.Value.Data, []float32{3 - 0.1*2}},
		{"table touched row only", table.Value.Data, []float32{1, 1 - 0.1*(4+0.5), 1}},
	}
	for _, c := range cases {
		for i := range c.want {
			if d := abs32(c.got[i] - c.want[i]); d > 1e-7 {
				t.Errorf("%s[%d] = %v, want %v", c.name, i, c.got[i], c.want[i])
			}
		}
	}
	if s.Steps() != 1 {
		t.Errorf("Steps() = %d, want 1", s.Steps())
	}
}

func TestSGDErrors(t *testing.T) {
	p := newParam("w", []int{1}, nil)
	if _, err := NewSGD([]*nn.Param{p}, -1, 0); err == nil || !strings.Contains(err.Error(), "learning rate -1") {
		t.Errorf("negative lr error = %v", err)
	}
	if _, err := NewSGD([]*nn.Param{p}, 0.1, -1); err == nil || !strings.Contains(err.Error(), "weight decay -1") {
		t.Errorf("negative decay error = %v", err)
	}
	table := newTable("emb", 2, 2, 1)
	table.Rows = []int32{5}
	before := slices.Clone(table.Value.Data)
	s, err := NewSGD([]*nn.Param{table}, 0.1, 0)
	if err != nil {
		t.Fatalf("NewSGD: %v", err)
	}
	if err := s.Step(); err == nil || !strings.Contains(err.Error(), "Rows[0] = 5") {
		t.Errorf("Step error = %v, want the out-of-range row", err)
	}
	if !slices.Equal(before, table.Value.Data) {
		t.Errorf("a failed Step changed the values")
	}
}

func TestSGDState(t *testing.T) {
	p := newParam("w", []int{1}, nil)
	s, err := NewSGD([]*nn.Param{p}, 0.1, 0)
	if err != nil {
		t.Fatalf("NewSGD: %v", err)
	}
	mustStep(t, s)
	s.SetLR(0.05)
	r, _ := NewSGD([]*nn.Param{p}, 0.1, 0)
	if err := r.SetState(s.State()); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if r.LR() != 0.05 || r.Steps() != 1 {
		t.Errorf("restored LR %v and steps %d, want 0.05 and 1", r.LR(), r.Steps())
	}
	if err := r.SetState(&State{Algorithm: AlgorithmAdam, LR: 1}); err == nil {
		t.Errorf("SetState accepted an Adam state")
	}
}
