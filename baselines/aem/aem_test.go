package aem

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

// Gradient checks run in float32 with central differences of step 1e-2 and accept a relative
// error (floored at 1e-2) of 2e-2 per element.
const gradTol = 2e-2

func TestLossGradCheck(t *testing.T) {
	data := loadTiny(t)
	batch := trainBatch(t, data, 3)
	for _, zero := range []bool{false, true} {
		m, err := New("aem", data, smallOptions(zero), 7)
		if err != nil {
			t.Fatal(err)
		}
		f := func(tape *nn.Tape) *nn.Var {
			loss, _, err := m.Loss(tape, nil, batch)
			if err != nil {
				t.Fatal(err)
			}
			return loss
		}
		res, err := nn.GradCheck(f, m.Params(), nn.GradCheckConfig{Tol: gradTol})
		if err != nil {
			t.Errorf("zero attention %v: %v", zero, err)
		}
		if res.Checked == 0 {
			t.Errorf("zero attention %v: no element checked", zero)
		}
	}
}

func TestAttentionHandWeights(t *testing.T) {
	// One row with logits 0 and ln 2 on two filled slots and a padded third slot. AEM gives
	// weights 1/3 and 2/3; ZAM adds exp(0) = 1 to the denominator: 1/4 and 2/4.
	ids := []int32{5, 9, nn.PaddingID}
	tests := []struct {
		name string
		zero bool
		want []float32
	}{
		{"aem", false, []float32{1.0 / 3, 2.0 / 3, 0}},
		{"zam", true, []float32{1.0 / 4, 2.0 / 4, 0}},
	}
	for _, tt := range tests {
		m := &Model{opts: Options{ZeroAttention: tt.zero}}
		tape := nn.NewTape(1)
		logits := tape.Zeros(1, 3)
		copy(logits.Data(), []float32{0, float32(math.Ln2), 5})
		got := m.attention(tape, logits, ids, 1, 3).Data()
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
			t.Errorf("%s: weights differ (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestAttentionEmptyHistory(t *testing.T) {
	// A row without history items has no weight anywhere, so u = 0, for both variants.
	ids := []int32{nn.PaddingID, nn.PaddingID}
	for _, zero := range []bool{false, true} {
		m := &Model{opts: Options{ZeroAttention: zero}}
		tape := nn.NewTape(1)
		logits := tape.Zeros(1, 2)
		got := m.attention(tape, logits, ids, 1, 2).Data()
		if got[0] != 0 || got[1] != 0 {
			t.Errorf("zero attention %v: weights %v, want all 0", zero, got)
		}
	}
}

func TestScoreSharesQueryAcrossCandidates(t *testing.T) {
	// The score of a candidate must equal M_uq · item embedding, whatever else is scored.
	data := loadTiny(t)
	batch := trainBatch(t, data, 2)
	m, err := New("zam", data, smallOptions(true), 3)
	if err != nil {
		t.Fatal(err)
	}
	candidates := [][]int32{{0, 1, 2}, {3, 4, 5}}
	scores := [][]float32{make([]float32, 3), make([]float32, 3)}
	if err := m.Score(nn.NewTape(1), batch, candidates, scores); err != nil {
		t.Fatal(err)
	}

	tape := nn.NewTape(1)
	personal, err := m.PersonalizedQuery(tape, batch)
	if err != nil {
		t.Fatal(err)
	}

	d := m.opts.Dim
	table := m.items.Weight.Value.Data
	for r, row := range candidates {
		for j, item := range row {
			var want float32
			for k := range d {
				want += personal.Data()[r*d+k] * table[int(item)*d+k]
			}
			if math.Abs(float64(want-scores[r][j])) > 1e-5 {
				t.Errorf("row %d candidate %d: score %v, want %v", r, j, scores[r][j], want)
			}
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Options)
		wanted string
	}{
		{"dim", func(o *Options) { o.Dim = 0 }, "dim = 0"},
		{"std", func(o *Options) { o.EmbedStd = math.Inf(1) }, "embed_std"},
		{"hidden", func(o *Options) { o.AttentionHidden = -1 }, "attention_hidden = -1"},
		{"weight", func(o *Options) { o.QueryWeight = 1.5 }, "query_weight = 1.5"},
	}
	for _, tt := range tests {
		o := DefaultOptions()
		tt.edit(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tt.wanted) {
			t.Errorf("%s: Validate returned %v, want an error containing %q", tt.name, err, tt.wanted)
		}
	}
	if err := DefaultOptions().Validate(); err != nil {
		t.Errorf("DefaultOptions invalid: %v", err)
	}
}

func TestInputErrors(t *testing.T) {
	data := loadTiny(t)
	if _, err := New("aem", nil, DefaultOptions(), 1); err == nil {
		t.Error("New(nil data) returned no error")
	}
	m, err := New("aem", data, smallOptions(false), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Loss(nn.NewTape(1), nil, nil); err == nil || !strings.Contains(err.Error(), "no search batch") {
		t.Errorf("Loss without a search batch returned %v", err)
	}

	recBatch := prep.NewBatchBuilder(data, 1).Build(data.Tasks[datasets.Rec].Train, []int{0})
	err = m.Score(nn.NewTape(1), recBatch, [][]int32{{0}}, [][]float32{{0}})
	if err == nil || !strings.Contains(err.Error(), "not a search sample") {
		t.Errorf("Score on a recommendation row returned %v", err)
	}

	batch := trainBatch(t, data, 1)
	err = m.Score(nn.NewTape(1), batch, [][]int32{{int32(len(data.Dataset.Items))}}, [][]float32{{0}})
	if err == nil || !strings.Contains(err.Error(), "candidate items") {
		t.Errorf("Score with an item outside the catalogue returned %v", err)
	}
	err = m.Score(nn.NewTape(1), batch, [][]int32{{0, 1}}, [][]float32{{0}})
	if err == nil || !strings.Contains(err.Error(), "2 candidates and 1 scores") {
		t.Errorf("Score with mismatched lengths returned %v", err)
	}
}

func TestTrainLossFalls(t *testing.T) {
	data := loadTiny(t)
	for _, zero := range []bool{false, true} {
		opts := DefaultOptions()
		opts.ZeroAttention = zero
		m, err := New("aem", data, opts, 1)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, quickConfig(3), quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		first, last := res.Epochs[0].Loss["total"], res.Epochs[len(res.Epochs)-1].Loss["total"]
		if !(last < first) {
			t.Errorf("zero attention %v: loss went from %.4f to %.4f over %d epochs, want a fall", zero, first, last, len(res.Epochs))
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	data := loadTiny(t)
	run := func() *train.Result {
		m, err := New("zam", data, smallOptions(true), 5)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, quickConfig(2), quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(), run()
	ignore := cmpopts.IgnoreFields(train.EpochRecord{}, "Seconds", "StepsPerSecond", "PeakRSSBytes")
	if diff := cmp.Diff(a.Epochs, b.Epochs, ignore); diff != "" {
		t.Errorf("epoch records differ between two runs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(a.Test, b.Test); diff != "" {
		t.Errorf("test results differ between two runs (-first +second):\n%s", diff)
	}
}

func TestScoreIndependentOfBatch(t *testing.T) {
	// A row must score the same alone and next to rows with longer histories.
	data := loadTiny(t)
	samples := data.Tasks[datasets.Search].Valid
	m, err := New("zam", data, smallOptions(true), 9)
	if err != nil {
		t.Fatal(err)
	}
	candidates := [][]int32{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}
	together := [][]float32{make([]float32, 4), make([]float32, 4), make([]float32, 4)}
	batch := prep.NewBatchBuilder(data, 3).Build(samples, []int{0, 1, 2})
	if err := m.Score(nn.NewTape(1), batch, candidates, together); err != nil {
		t.Fatal(err)
	}
	for r := range 3 {
		alone := [][]float32{make([]float32, 4)}
		single := prep.NewBatchBuilder(data, 1).Build(samples, []int{r})
		if err := m.Score(nn.NewTape(1), single, candidates[r:r+1], alone); err != nil {
			t.Fatal(err)
		}
		// OpenBLAS may round a product over another number of rows differently, by about 1e-7
		// relative here. The pure-Go backend gives identical scores.
		if diff := cmp.Diff(together[r], alone[0], cmpopts.EquateApprox(1e-6, 0)); diff != "" {
			t.Errorf("row %d scores differ alone and in a batch (-batch +alone):\n%s", r, diff)
		}
	}
}
