package optim

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/srbench/srbench/nn"
)

func TestZeroGrad(t *testing.T) {
	dense := newParam("w", []int{3}, nil)
	copy(dense.Grad.Data, []float32{1, 2, 3})
	table := newParam("emb", []int{3, 2}, nil)
	table.RowSparse = true
	copy(table.Grad.Data, []float32{0, 0, 5, 6, 0, 0})
	table.Rows = make([]int32, 1, 8)
	table.Rows[0] = 1
	bad := newParam("bad", []int{2, 1}, nil)
	bad.RowSparse = true
	copy(bad.Grad.Data, []float32{7, 8})
	bad.Rows = []int32{9}
	frozen := newParam("frozen", []int{1}, nil)
	frozen.Grad = nil

	ZeroGrad([]*nn.Param{dense, table, bad, frozen, nil})

	for _, p := range []*nn.Param{dense, table, bad} {
		for i, g := range p.Grad.Data {
			if g != 0 {
				t.Errorf("%s grad[%d] = %v after ZeroGrad, want 0", p.Name, i, g)
			}
		}
	}
	if len(table.Rows) != 0 || cap(table.Rows) != 8 {
		t.Errorf("table Rows len %d cap %d, want len 0 with capacity 8 kept", len(table.Rows), cap(table.Rows))
	}
	if len(bad.Rows) != 0 {
		t.Errorf("bad Rows not cleared: %v", bad.Rows)
	}
}

// clipFixture returns a dense gradient [3, 4] and a 4×2 table whose meaningful rows 1 and 3
// hold [1, 2] and [2, 0]; row 0 holds stale values outside Rows that must be ignored.
// The squared norm is 9+16+1+4+4 = 34.
func clipFixture() (dense, table *nn.Param) {
	dense = newParam("w", []int{2}, nil)
	copy(dense.Grad.Data, []float32{3, 4})
	table = newParam("emb", []int{4, 2}, nil)
	table.RowSparse = true
	copy(table.Grad.Data, []float32{100, 100, 1, 2, 0, 0, 2, 0})
	table.Rows = []int32{1, 3}
	return dense, table
}

func TestClipGradNorm(t *testing.T) {
	wantNorm := math.Sqrt(34)
	cases := []struct {
		name    string
		maxNorm float64
		scale   float64
	}{
		{"clipped", 1, 1 / (math.Sqrt(34) + 1e-6)},
		{"below max", 10, 1},
		{"at max", math.Sqrt(34) + 1e-6, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dense, table := clipFixture()
			norm, err := ClipGradNorm([]*nn.Param{dense, table}, c.maxNorm)
			if err != nil {
				t.Fatalf("ClipGradNorm: %v", err)
			}
			if math.Abs(norm-wantNorm) > 1e-12 {
				t.Errorf("norm = %v, want √34 = %v", norm, wantNorm)
			}
			checks := []struct {
				got, want float32
			}{
				{dense.Grad.Data[0], float32(3 * c.scale)},
				{dense.Grad.Data[1], float32(4 * c.scale)},
				{table.Grad.Data[2], float32(1 * c.scale)},
				{table.Grad.Data[3], float32(2 * c.scale)},
				{table.Grad.Data[6], float32(2 * c.scale)},
				{table.Grad.Data[0], 100},
			}
			for i, k := range checks {
				if d := abs32(k.got - k.want); d > 1e-6 {
					t.Errorf("check %d: gradient %v, want %v", i, k.got, k.want)
				}
			}
			if c.scale < 1 {
				after, _ := GradNorm([]*nn.Param{dense, table})
				if math.Abs(after-c.maxNorm) > 1e-5 {
					t.Errorf("norm after clipping = %v, want %v", after, c.maxNorm)
				}
			}
		})
	}
}

func TestClipGradNormErrors(t *testing.T) {
	dense, table := clipFixture()
	if _, err := ClipGradNorm([]*nn.Param{dense}, 0); err == nil || !strings.Contains(err.Error(), "clipping norm 0") {
		t.Errorf("zero max norm error = %v", err)
	}
	dense.Grad.Data[0] = float32(math.Inf(1))
	norm, err := ClipGradNorm([]*nn.Param{dense, table}, 1)
	if !errors.Is(err, ErrNonFiniteNorm) {
		t.Errorf("error = %v, want ErrNonFiniteNorm", err)
	}
	if !math.IsInf(norm, 1) {
		t.Errorf("norm = %v, want +Inf", norm)
	}
	if dense.Grad.Data[1] != 4 {
		t.Errorf("gradients changed despite a non-finite norm: %v", dense.Grad.Data)
	}
	table.Rows = []int32{7}
	if _, err := GradNorm([]*nn.Param{table}); err == nil || !strings.Contains(err.Error(), `"emb"`) {
		t.Errorf("out-of-range row error = %v", err)
	}
}
