package mai

import (
	"context"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

var tinyData = sync.OnceValues(func() (*prep.Prepared, error) {
	return prepareSynthetic(synthetic.SizeTiny)
})

func prepareSynthetic(size string) (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, size)
	if err != nil {
		return nil, err
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, prep.DefaultOptions())
}

func loadTiny(t testing.TB) *prep.Prepared {
	t.Helper()
	data, err := tinyData()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func smallOptions() Options {
	o := DefaultOptions()
	o.Dim, o.Heads, o.FFN, o.WeightHidden, o.Dropout = 4, 2, 4, 3, 0
	return o
}

func quiet() train.Options {
	return train.Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
}

// TestLossGradCheck checks the gradient at width 4: central differences of step 1e-3 in
// float32, relative error (floored at 1e-2) at most 2e-2 per element. The step is below the
// default 1e-2 because some ReLU pre-activations lie within 1e-2 of the kink at this point.
// A step across a kink breaks the difference quotient: the worst element is off by 21% at
// step 1e-2 and by 0.5% at 1e-3.
func TestLossGradCheck(t *testing.T) {
	data := loadTiny(t)
	for _, explicit := range []bool{true, false} {
		opts := smallOptions()
		opts.ExplicitSignal = explicit
		m, err := New(data, opts, 3)
		if err != nil {
			t.Fatal(err)
		}
		samples := data.Tasks[datasets.Search].Train
		batch := prep.NewBatchBuilder(data, 2).BuildTrain(samples, []int{5, 900}, 1)
		f := func(tape *nn.Tape) *nn.Var {
			loss, _, err := m.Loss(tape, nil, batch)
			if err != nil {
				t.Fatal(err)
			}
			return loss
		}
		// Without the explicit signal only the weight MLP's input changes, so only its
		// parameters are checked again.
		params := m.Params()
		if !explicit {
			params = m.weights.Params()
		}
		res, err := nn.GradCheck(f, params, nn.GradCheckConfig{Step: 1e-3, Tol: 2e-2})
		if err != nil {
			t.Errorf("explicit signal %v: %v", explicit, err)
		}
		if res.Checked == 0 {
			t.Errorf("explicit signal %v: no element checked", explicit)
		}
	}
}

func TestConcentrationHand(t *testing.T) {
	// Items 0..3: categories at level 0 are 7, 7, 8 and none.
	ds := &datasets.Dataset{
		Items: []datasets.Item{
			{Categories: []int32{7, 1}}, {Categories: []int32{7, 2}}, {Categories: []int32{8, 2}}, {},
		},
		Categories: make([]string, 9),
	}
	table, err := newAttributeTable(ds, 0)
	if err != nil {
		t.Fatal(err)
	}
	if table.count != 3 {
		t.Fatalf("attribute count %d, want 3 (item id and two levels)", table.count)
	}
	history := []int32{0, nn.PaddingID, 1, 2, 3, 1}
	tests := []struct {
		attr int
		want float32
	}{
		{0, 2.0 / 5}, // item 1 is 2 of the 5 clicks
		{1, 3.0 / 5}, // level-0 category 7 is on items 0, 1 and 1
		{2, 3.0 / 5}, // level-1 category 2 is on items 1, 2 and 1
	}
	for _, tt := range tests {
		if got := table.concentration(history, tt.attr); math.Abs(float64(got-tt.want)) > 1e-7 {
			t.Errorf("attribute %d: concentration %v, want %v", tt.attr, got, tt.want)
		}
	}
	if got := table.concentration([]int32{nn.PaddingID}, 0); got != 0 {
		t.Errorf("empty history: concentration %v, want 0", got)
	}
	if got := table.lookup([]int32{3, nn.PaddingID, 2}, 1); !cmp.Equal(got, []int32{nn.PaddingID, nn.PaddingID, 8}) {
		t.Errorf("lookup of level 0 = %v, want [-1 -1 8]", got)
	}
}

func TestAttributeTableRejectsBadCategory(t *testing.T) {
	ds := &datasets.Dataset{Items: []datasets.Item{{Key: "x9", Categories: []int32{4}}}, Categories: make([]string, 2)}
	_, err := newAttributeTable(ds, 0)
	if err == nil || !strings.Contains(err.Error(), `item 0 (key "x9") has category 4`) {
		t.Errorf("newAttributeTable returned %v, want an error naming the item and category", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Options)
		wanted string
	}{
		{"heads", func(o *Options) { o.Heads = 3 }, "heads = 3"},
		{"dropout", func(o *Options) { o.Dropout = 1 }, "dropout = 1"},
		{"levels", func(o *Options) { o.CategoryLevels = -2 }, "category_levels = -2"},
		{"layers", func(o *Options) { o.Layers = 0 }, "layers = 0"},
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
	m, err := New(data, smallOptions(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Loss(nn.NewTape(1), nil, nil); err == nil || !strings.Contains(err.Error(), "no search batch") {
		t.Errorf("Loss without a search batch returned %v", err)
	}
	recBatch := prep.NewBatchBuilder(data, 1).Build(data.Tasks[datasets.Rec].Train, []int{0})
	if err := m.Score(nn.NewTape(1), recBatch, [][]int32{{0}}, [][]float32{{0}}); err == nil || !strings.Contains(err.Error(), "not a search sample") {
		t.Errorf("Score on a recommendation row returned %v", err)
	}
	batch := prep.NewBatchBuilder(data, 1).Build(data.Tasks[datasets.Search].Valid, []int{0})
	bad := [][]int32{{int32(len(data.Dataset.Items))}}
	if err := m.Score(nn.NewTape(1), batch, bad, [][]float32{{0}}); err == nil || !strings.Contains(err.Error(), "candidate items") {
		t.Errorf("Score with an item outside the catalogue returned %v", err)
	}
}

func TestScoreIndependentOfBatch(t *testing.T) {
	data := loadTiny(t)
	samples := data.Tasks[datasets.Search].Valid
	m, err := New(data, smallOptions(), 9)
	if err != nil {
		t.Fatal(err)
	}
	candidates := [][]int32{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
	together := [][]float32{make([]float32, 3), make([]float32, 3), make([]float32, 3)}
	if err := m.Score(nn.NewTape(1), prep.NewBatchBuilder(data, 3).Build(samples, []int{0, 1, 2}), candidates, together); err != nil {
		t.Fatal(err)
	}
	for r := range 3 {
		alone := [][]float32{make([]float32, 3)}
		if err := m.Score(nn.NewTape(1), prep.NewBatchBuilder(data, 1).Build(samples, []int{r}), candidates[r:r+1], alone); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(together[r], alone[0]); diff != "" {
			t.Errorf("row %d scores differ alone and in a batch (-batch +alone):\n%s", r, diff)
		}
	}
}

func TestTrainFallsAndRepeats(t *testing.T) {
	data := loadTiny(t)
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.Workers, cfg.Patience = 2, 256, 2, 2
	cfg.MaxStepsPerEpoch = 8
	run := func() *train.Result {
		opts := DefaultOptions()
		opts.Dim, opts.FFN, opts.WeightHidden = 8, 8, 8
		m, err := New(data, opts, 4)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(), run()
	first, last := a.Epochs[0].Loss["total"], a.Epochs[len(a.Epochs)-1].Loss["total"]
	if !(last < first) {
		t.Errorf("loss went from %.4f to %.4f, want a fall", first, last)
	}
	ignore := cmpopts.IgnoreFields(train.EpochRecord{}, "Seconds", "StepsPerSecond", "PeakRSSBytes")
	if diff := cmp.Diff(a.Epochs, b.Epochs, ignore); diff != "" {
		t.Errorf("epoch records differ between two runs (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(a.Test, b.Test); diff != "" {
		t.Errorf("test results differ between two runs (-first +second):\n%s", diff)
	}
}
