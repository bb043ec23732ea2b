package train

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// faultyModel trains one parameter with a loss that the test chooses.
type faultyModel struct {
	scriptedModel
	loss  func(t *nn.Tape, w *nn.Var) (*nn.Var, error)
	tasks []datasets.Kind
}

func (m *faultyModel) Tasks() []datasets.Kind { return m.tasks }

func (m *faultyModel) Loss(t *nn.Tape, _, _ *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	v, err := m.loss(t, t.Param(m.w))
	return v, nil, err
}

func TestTrainRejectsFaultyModel(t *testing.T) {
	data := loadTiny(t)
	errModel := errors.New("model failure")
	tests := []struct {
		name   string
		tasks  []datasets.Kind
		loss   func(t *nn.Tape, w *nn.Var) (*nn.Var, error)
		wanted string
	}{
		{"error", nil, func(*nn.Tape, *nn.Var) (*nn.Var, error) { return nil, errModel }, "model failure"},
		{"nan", nil, func(_ *nn.Tape, w *nn.Var) (*nn.Var, error) { return nn.Scale(nn.Sum(w), float32(math.NaN())), nil }, "loss is NaN"},
		{"nil", nil, func(*nn.Tape, *nn.Var) (*nn.Var, error) { return nil, nil }, "nil loss"},
		{"vector", nil, func(_ *nn.Tape, w *nn.Var) (*nn.Var, error) { return nn.Concat(0, w, w), nil }, "one element"},
		{"panic", nil, func(_ *nn.Tape, w *nn.Var) (*nn.Var, error) { return nn.Gather(w, []int32{5}), nil }, "panic"},
		{"no tasks", []datasets.Kind{}, nil, "no tasks"},
		{"task twice", []datasets.Kind{datasets.Rec, datasets.Rec}, nil, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &faultyModel{scriptedModel: *newScriptedModel(), loss: tt.loss, tasks: tt.tasks}
			if m.tasks == nil {
				m.tasks = []datasets.Kind{datasets.Rec}
			}
			cfg := smallConfig()
			cfg.Epochs = 1
			_, err := Train(context.Background(), m, data, cfg, quietOptions())
			if err == nil || !strings.Contains(err.Error(), tt.wanted) {
				t.Errorf("Train returned %v, want an error containing %q", err, tt.wanted)
			}
		})
	}
}

func TestTrainResumeMissingCheckpoint(t *testing.T) {
	data := loadTiny(t)
	opts := quietOptions()
	opts.Resume = true
	if _, err := Train(context.Background(), newScriptedModel(), data, smallConfig(), opts); err == nil || !strings.Contains(err.Error(), "Checkpoint is empty") {
		t.Errorf("Resume without a path returned %v, want an error naming Options.Checkpoint", err)
	}
	opts.Checkpoint = t.TempDir() + "/absent.ckpt"
	if _, err := Train(context.Background(), newScriptedModel(), data, smallConfig(), opts); err == nil || !strings.Contains(err.Error(), "absent.ckpt") {
		t.Errorf("Resume from a missing file returned %v, want an error naming the file", err)
	}
}
