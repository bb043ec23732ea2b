package zam

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/baselines/aem"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

func loadTiny(t *testing.T) *prep.Prepared {
	t.Helper()
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestNewRequiresZeroAttention(t *testing.T) {
	data := loadTiny(t)
	_, err := New(data, aem.DefaultOptions(), 1)
	if err == nil || !strings.Contains(err.Error(), "zero_attention = false") {
		t.Errorf("New without zero attention returned %v", err)
	}
	m, err := New(data, DefaultOptions(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		if !strings.HasPrefix(p.Name, "zam.") {
			t.Errorf("parameter %q lacks the zam. prefix", p.Name)
		}
	}
}

// TestGradCheck checks the gradient of the loss at width 4 with β = 2: central differences of
// step 1e-2 in float32, relative error (floored at 1e-2) at most 2e-2 per element.
func TestGradCheck(t *testing.T) {
	data := loadTiny(t)
	opts := DefaultOptions()
	opts.Dim, opts.AttentionHidden = 4, 2
	m, err := New(data, opts, 2)
	if err != nil {
		t.Fatal(err)
	}
	samples := data.Tasks[datasets.Search].Train
	batch := prep.NewBatchBuilder(data, 4).BuildTrain(samples, []int{10, 200, 400, 800}, 1)
	f := func(tape *nn.Tape) *nn.Var {
		loss, _, err := m.Loss(tape, nil, batch)
		if err != nil {
			t.Fatal(err)
		}
		return loss
	}
	if _, err := nn.GradCheck(f, m.Params(), nn.GradCheckConfig{Tol: 2e-2}); err != nil {
		t.Error(err)
	}
}

func TestTrainFallsAndRepeats(t *testing.T) {
	data := loadTiny(t)
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.Workers, cfg.Patience = 3, 256, 2, 3
	quiet := train.Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
	run := func() *train.Result {
		opts := DefaultOptions()
		opts.Dim = 16
		m, err := New(data, opts, 4)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, cfg, quiet)
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
