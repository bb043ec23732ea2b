package seqrec

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// TestBCELossHand checks the loss on logits [[0, ln 3]]: labels (1, 0) give
// (log 2 + log 4) / 2.
func TestBCELossHand(t *testing.T) {
	tape := nn.NewTape(1)
	logits := tape.Zeros(1, 2)
	logits.Data()[1] = float32(math.Log(3))
	got := BCELoss(logits).Item()
	want := (math.Log(2) + math.Log(4)) / 2
	if math.Abs(float64(got)-want) > 1e-6 {
		t.Errorf("BCELoss = %v, want %v", got, want)
	}
}

// TestGELUValues compares the sigmoid approximation with exact GELU values x·Φ(x) within
// the approximation's known error of 0.021.
func TestGELUValues(t *testing.T) {
	xs := []float32{-3, -1, -0.5, 0, 0.5, 1, 3}
	tape := nn.NewTape(1)
	x := tape.Zeros(len(xs))
	copy(x.Data(), xs)
	got := GELU.Apply(x).Data()
	for i, v := range xs {
		exact := float64(v) * 0.5 * (1 + math.Erf(float64(v)/math.Sqrt2))
		if math.Abs(float64(got[i])-exact) > 0.021 {
			t.Errorf("GELU(%v) = %v, exact %v", v, got[i], exact)
		}
	}
	relu := ReLU.Apply(x).Data()
	if relu[0] != 0 || relu[6] != 3 {
		t.Errorf("ReLU(-3), ReLU(3) = %v, %v; want 0, 3", relu[0], relu[6])
	}
}

func TestTrainIDs(t *testing.T) {
	b := &prep.Batch{Size: 2, NegativeWidth: 2, Target: []int32{5, 6}, Negatives: []int32{1, 2, 3, 4}}
	got := TrainIDs(b)
	want := []int32{5, 1, 2, 6, 3, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("TrainIDs = %v, want %v", got, want)
		}
	}
}

func TestCheckRecBatch(t *testing.T) {
	good := func() *prep.Batch {
		return &prep.Batch{Size: 1, RecWidth: 2, NegativeWidth: 1, Kind: []int32{int32(datasets.Rec)},
			RecItems: []int32{-1, 2}, Target: []int32{0}, Negatives: []int32{1}}
	}
	if err := CheckRecBatch("m", good(), 3, 2, true); err != nil {
		t.Errorf("valid batch: %v", err)
	}
	tests := []struct {
		name   string
		edit   func(b *prep.Batch)
		wanted string
	}{
		{"width", func(b *prep.Batch) { b.RecWidth = 3 }, "history width is 3"},
		{"negative size", func(b *prep.Batch) { b.Size = -1 }, "batch size -1"},
		{"short history", func(b *prep.Batch) { b.RecItems = b.RecItems[:1] }, "1 entries in RecItems"},
		{"short negatives", func(b *prep.Batch) { b.Negatives = nil }, "0 entries in Negatives"},
		{"search", func(b *prep.Batch) { b.Kind[0] = int32(datasets.Search) }, "task code 1"},
		{"history", func(b *prep.Batch) { b.RecItems[0] = -2 }, "history slot 0 contains item -2"},
		{"target", func(b *prep.Batch) { b.Target[0] = 3 }, "target is item 3"},
	}
	for _, tt := range tests {
		b := good()
		tt.edit(b)
		err := CheckRecBatch("m", b, 3, 2, true)
		if err == nil || !strings.Contains(err.Error(), tt.wanted) || !strings.HasPrefix(err.Error(), "m: ") {
			t.Errorf("%s: got %v, want an error starting with the model name and containing %q", tt.name, err, tt.wanted)
		}
	}
}

func TestFlattenCandidates(t *testing.T) {
	b := &prep.Batch{Size: 2}
	ids, width, err := FlattenCandidates("m", b, [][]int32{{0, 1}, {2, 0}}, [][]float32{make([]float32, 2), make([]float32, 2)}, 3)
	if err != nil || width != 2 || len(ids) != 4 || ids[2] != 2 {
		t.Errorf("FlattenCandidates = %v, %d, %v; want [0 1 2 0], 2, nil", ids, width, err)
	}
	_, _, err = FlattenCandidates("m", b, [][]int32{{0, 1}, {2}}, [][]float32{make([]float32, 2), make([]float32, 1)}, 3)
	if err == nil || !strings.Contains(err.Error(), "row 1 has 1 candidates but row 0 has 2") {
		t.Errorf("ragged candidates: got %v, want an error", err)
	}
	scores := [][]float32{make([]float32, 2), make([]float32, 2)}
	CopyScores(scores, 1, []float32{7, 8}, 2)
	if scores[1][0] != 7 || scores[1][1] != 8 || scores[0][0] != 0 {
		t.Errorf("CopyScores at offset 1 gave %v, want [[0 0] [7 8]]", scores)
	}
}

// TestFeedForwardGradCheck checks the gradient of the embedding and the block, the block's
// dropout on, at tolerance 1e-2 and step 1e-3. The embedding's dropout is off: at width 3 it
// can zero a whole row, and the block's LayerNorm of a zero row, with epsilon 1e-12, has a
// gradient near 1e6 that no finite difference can follow.
func TestFeedForwardGradCheck(t *testing.T) {
	ff := NewFeedForward("ffn", 3, GELU, 0.5, 1e-12, 0.5, newRand())
	embed := NewSequenceEmbedding("embedding", 5, 3, 3, 0.5, 1e-12, 0, newRand())
	ids := []int32{-1, 0, 4, 1, 2, 3}
	f := func(tape *nn.Tape) *nn.Var { return ff.Forward(embed.Forward(tape, ids, 2, 3)) }
	params := append(ff.Params(), embed.Params()...)
	if _, err := nn.GradCheck(f, params, nn.GradCheckConfig{Train: true, Step: 1e-3}); err != nil {
		t.Error(err)
	}
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
