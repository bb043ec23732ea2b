package train

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// TestEvalBatchSizeInvariant trains the same model with evaluation batches of 7 and 64 cases
// and expects identical results, because the test model scores each row on its own.
func TestEvalBatchSizeInvariant(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs, cfg.Workers, cfg.MaxStepsPerEpoch = 2, 2, 4
	run := func(evalBatch int) *Result {
		c := cfg
		c.EvalBatchSize = evalBatch
		res, err := Train(context.Background(), newDotModel(data, 8, 3), data, c, quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		res.Config.EvalBatchSize = 0 // the only expected difference
		return res
	}
	small, large := run(7), run(64)
	if diff := cmp.Diff(small, large, ignoreTimes); diff != "" {
		t.Errorf("evaluation batches of 7 and 64 cases give different results (-7 +64):\n%s", diff)
	}
}

// tapeWatcher is the test model that records the number of training tapes the runner has
// whenever Loss runs.
type tapeWatcher struct {
	*dotModel
	runner *stepRunner
	seen   []int
}

func (m *tapeWatcher) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	m.seen = append(m.seen, len(m.runner.tapes))
	return m.dotModel.Loss(t, rec, search)
}

// TestTapesLiveOneEpoch checks that the training tapes exist while an epoch trains and are
// dropped before validation.
func TestTapesLiveOneEpoch(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs, cfg.Workers, cfg.MaxStepsPerEpoch = 1, 2, 2
	model := &tapeWatcher{dotModel: newDotModel(data, 8, 3)}
	tr, err := newTrainer(model, data, cfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	model.runner = tr.runner
	if err := tr.runEpoch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := cfg.MaxStepsPerEpoch * cfg.Workers; len(model.seen) != want {
		t.Fatalf("Loss ran %d times, want %d", len(model.seen), want)
	}
	for i, n := range model.seen {
		if n != cfg.Workers {
			t.Errorf("Loss call %d saw %d training tapes, want %d", i, n, cfg.Workers)
		}
	}
	if len(tr.runner.tapes) != 0 {
		t.Errorf("%d training tapes after the epoch, want 0", len(tr.runner.tapes))
	}
	for i, sw := range tr.runner.workers {
		if sw.tape != nil {
			t.Errorf("worker %d still holds its tape after the epoch", i)
		}
	}
}
