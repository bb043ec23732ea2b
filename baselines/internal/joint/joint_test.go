package joint

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/nn"
)

func TestNormalizeUnitRows(t *testing.T) {
	tape := nn.NewTape(1)
	x := tape.Const(&nn.Tensor{Shape: []int{3, 2}, Data: []float32{3, 4, 0, 0, -1, 0}})
	got := Normalize(x, 1e-10).Data()
	want := []float32{0.6, 0.8, 0, 0, -1, 0}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Errorf("Normalize element %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestNormalizeGradCheck checks Normalize's gradient with central differences. Tolerance:
// relative error 1e-2 at step 1e-3.
func TestNormalizeGradCheck(t *testing.T) {
	p := &nn.Param{Name: "x", Value: &nn.Tensor{Shape: []int{2, 3}, Data: []float32{0.5, -1, 2, 1.5, 0.2, -0.7}}}
	_, err := nn.GradCheck(func(tape *nn.Tape) *nn.Var {
		return Normalize(tape.Param(p), 1e-10)
	}, []*nn.Param{p}, nn.GradCheckConfig{Step: 1e-3})
	if err != nil {
		t.Error(err)
	}
}

func TestHistoryPairsDistinct(t *testing.T) {
	// Two sessions of query 7 share item 3; padding slots and clicks are skipped.
	queries := []int32{7, -1, 7, 2}
	clicks := []int32{3, 4, 9, 9, 3, -1, 5, -1}
	got := HistoryPairs(clicks, queries, 2, 0, nil)
	want := []Pair{{7, 3}, {7, 4}, {2, 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HistoryPairs (-want +got):\n%s", diff)
	}
	capped := HistoryPairs(clicks, queries, 2, 2, rand.New(rand.NewPCG(1, 1)))
	if len(capped) != 2 {
		t.Errorf("HistoryPairs with limit 2 kept %d pairs", len(capped))
	}
}
