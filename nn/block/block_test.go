package block

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

func param(name string, rng *rand.Rand, shape ...int) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(shape...)}
	layer.Normal(p, 0.5, rng)
	return p
}

// gradTol is the relative error accepted by the gradient checks (floor 1e-2; step 1e-2, or
// 3e-3 through the transformer, whose ReLUs switch within a larger step).
const gradTol = 1e-2

func TestMeanRowsValues(t *testing.T) {
	tape := nn.NewTape(1)
	table := tape.Const(&nn.Tensor{Shape: []int{3, 2}, Data: []float32{1, 2, 3, 4, 5, 6}})
	got := MeanRows(table, []int32{0, 2, -1, -1, -1, -1, 1, 1, 1}, 3, 3).Data()
	want := []float32{3, 4, 0, 0, 3, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("MeanRows = %v, want %v", got, want)
		}
	}
}

func TestGradMeanRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	table := param("table", rng, 5, 3)
	queries := param("queries", rng, 4, 3)
	ids := []int32{0, 4, -1, 2, -1, -1, 1, 1, 3, -1, -1, -1}
	f := func(tape *nn.Tape) *nn.Var {
		return SearchBehaviors(tape.Param(queries), tape.Param(table), ids, 3)
	}
	if _, err := nn.GradCheck(f, []*nn.Param{table, queries}, nn.GradCheckConfig{Tol: gradTol}); err != nil {
		t.Fatal(err)
	}
}

func TestGradBiCL(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := param("a", rng, 5, 4), param("b", rng, 5, 4)
	w, tau := param("w", rng, 4, 4), &nn.Param{Name: "tau", Value: &nn.Tensor{Shape: []int{1}, Data: []float32{0.5}}}
	valid := []bool{true, true, false, true, true}
	groups := []int32{0, 0, 1, 2, 3}
	f := func(tape *nn.Tape) *nn.Var {
		return BiCL(tape.Param(a), tape.Param(b), tape.Param(w), tape.Param(tau), valid, groups)
	}
	if _, err := nn.GradCheck(f, []*nn.Param{a, b, w, tau}, nn.GradCheckConfig{Tol: gradTol}); err != nil {
		t.Fatal(err)
	}
}

// TestBiCLValue checks BiCL against the formula on two rows with W = I and τ = 1.
func TestBiCLValue(t *testing.T) {
	tape := nn.NewTape(1)
	a := tape.Const(&nn.Tensor{Shape: []int{2, 1}, Data: []float32{1, 2}})
	b := tape.Const(&nn.Tensor{Shape: []int{2, 1}, Data: []float32{1, -1}})
	w := tape.Const(&nn.Tensor{Shape: []int{1, 1}, Data: []float32{1}})
	tau := tape.Const(&nn.Tensor{Shape: []int{1}, Data: []float32{1}})
	s := [2][2]float64{{math.Tanh(1), math.Tanh(-1)}, {math.Tanh(2), math.Tanh(-2)}}
	nll := func(pos, other float64) float64 { return -pos + math.Log(math.Exp(pos)+math.Exp(other)) }
	want := (nll(s[0][0], s[0][1])+nll(s[1][1], s[1][0]))/2 + (nll(s[0][0], s[1][0])+nll(s[1][1], s[0][1]))/2
	got := BiCL(a, b, w, tau, nil, nil).Item()
	if math.Abs(float64(got)-want) > 1e-5 {
		t.Errorf("BiCL = %v, want %v", got, want)
	}
	// Rows of one group are not each other's negatives: only the positive remains, loss 0.
	if got := BiCL(a, b, w, tau, nil, []int32{7, 7}).Item(); math.Abs(float64(got)) > 1e-6 {
		t.Errorf("BiCL within one group = %v, want 0", got)
	}
}

// fusionBatch is two rows: row 0 has rec slots 1, 2 and search slot 1 merged as r, s, r; row
// 1 has only rec slot 2.
func fusionBatch(tape *nn.Tape, rec, search *nn.Var) FusionInput {
	return FusionInput{
		Rec: rec, Search: search,
		RecIDs:     []int32{-1, 4, 5, -1, -1, 6},
		SearchIDs:  []int32{-1, 9, -1, -1},
		MergedKind: []int32{-1, -1, KindRec, KindSearch, KindRec, -1, -1, -1, -1, KindRec},
		MergedSlot: []int32{-1, -1, 1, 1, 2, -1, -1, -1, -1, 2},
	}
}

func smallFusion() *Fusion {
	cfg := FusionConfig{Dim: 4, Heads: 2, Layers: 1, FFN: 6, RecLen: 3, SearchLen: 2, AlignTemp: 0.5}
	return NewFusion("fusion", cfg, rand.New(rand.NewPCG(5, 6)))
}

func TestGradFusion(t *testing.T) {
	f := smallFusion()
	rng := rand.New(rand.NewPCG(7, 8))
	rec, search := param("rec", rng, 2, 3, 4), param("search", rng, 2, 2, 4)
	fn := func(tape *nn.Tape) *nn.Var {
		out := f.Forward(tape, fusionBatch(tape, tape.Param(rec), tape.Param(search)))
		h := nn.Concat(1, out.H[KindRec], out.H[KindSearch])
		return nn.Add(nn.Sum(h), f.AlignLoss(tape, out))
	}
	params := append([]*nn.Param{rec, search}, f.Params()...)
	// Tolerance 2e-2: the LayerNorm gains' true gradient of a plain sum is exactly zero, and
	// float32 central differences of this loss show noise of about 1.1e-4 there (error 0.011
	// against the 1e-2 floor). A wrong factor in any gradient still fails by far.
	res, err := nn.GradCheck(fn, params, nn.GradCheckConfig{Step: 3e-3, Tol: 2 * gradTol})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("max error %.3g over %d elements", res.MaxErr, res.Checked)
}

// TestGlobalMask perturbs one recommendation behaviour and checks that, in the one-layer
// global encoder, no other recommendation position's output moves (a position never attends
// to its own scenario) while the search position, which attends to it, does.
func TestGlobalMask(t *testing.T) {
	f := smallFusion()
	rng := rand.New(rand.NewPCG(9, 10))
	rec, search := param("rec", rng, 2, 3, 4), param("search", rng, 2, 2, 4)
	inter := func() [2][]float32 {
		tape := nn.NewTape(1)
		out := f.Forward(tape, fusionBatch(tape, tape.Const(rec.Value), tape.Const(search.Value)))
		return [2][]float32{append([]float32(nil), out.Inter[KindRec].Data()...), append([]float32(nil), out.Inter[KindSearch].Data()...)}
	}
	before := inter()
	for j := range 4 {
		rec.Value.Data[1*4+j] += 1 // row 0, rec slot 1
	}
	after := inter()
	for j := range 4 {
		if before[KindRec][2*4+j] != after[KindRec][2*4+j] {
			t.Fatalf("rec slot 2 moved when rec slot 1 changed: %v → %v", before[KindRec][8:12], after[KindRec][8:12])
		}
	}
	moved := false
	for j := range 4 {
		moved = moved || before[KindSearch][1*4+j] != after[KindSearch][1*4+j]
	}
	if !moved {
		t.Error("search slot 1 did not move when the rec behaviour it attends to changed")
	}
	// Row 1 has no search behaviour, so its rec position keeps no key and its inter output is
	// the guarded residual path, free of NaN.
	for _, v := range after[KindRec][12:] {
		if math.IsNaN(float64(v)) {
			t.Fatal("NaN in a row whose keys are all masked")
		}
	}
}
