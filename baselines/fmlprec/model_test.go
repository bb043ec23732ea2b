package fmlprec

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/baselines/internal/seqrec"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

// tinyConfig is FMLP-Rec at width 4 for gradient checks. Its weights start at scale 0.5: at
// the default 0.02 the LayerNorm inputs vary less than the finite-difference step, and the
// central difference would measure curvature rather than the gradient.
func tinyConfig() Config {
	cfg := DefaultConfig()
	cfg.Dim, cfg.InitStd = 4, 0.5
	return cfg
}

// TestGradCheck compares the analytic gradient of the training loss, dropout on, with
// central differences. The tolerance is GradCheck's default 1e-2 relative error, because the
// forward pass runs in float32. The step is 3e-3, below the default 1e-2, so that no ReLU
// kink falls inside a difference.
func TestGradCheck(t *testing.T) {
	for _, act := range []string{"gelu", "relu"} {
		cfg := tinyConfig()
		cfg.Activation = seqrec.Activation(act)
		m, err := New(handData(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		batch := handBatch()
		f := func(tape *nn.Tape) *nn.Var {
			loss, _, err := m.Loss(tape, batch, nil)
			if err != nil {
				t.Fatal(err)
			}
			return loss
		}
		res, err := nn.GradCheck(f, m.Params(), nn.GradCheckConfig{Train: true, Seed: 3, Step: 3e-3})
		if err != nil {
			t.Errorf("%s: %v", act, err)
		}
		if res.Checked < 100 {
			t.Errorf("%s: checked %d elements, want every parameter element", act, res.Checked)
		}
	}
}

// TestLastOnlyMatchesFull checks that the last block, computed at the last position only,
// gives the last position of the block computed over the whole sequence.
func TestLastOnlyMatchesFull(t *testing.T) {
	m, err := New(handData(), tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	batch := handBatch()
	tape := nn.NewTape(1)
	got := m.Encode(tape, batch).Data()

	x := m.embed.Forward(tape, batch.RecItems, 2, 4)
	for _, blk := range m.blocks {
		x = blk.forward(tape, x, false)
	}
	want := nn.Narrow(x, 1, 3, 1).Data()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user vectors differ from the full computation (-full +last-only):\n%s", diff)
	}
}

func TestScoreMatchesLoss(t *testing.T) {
	m, err := New(handData(), tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	batch := handBatch()
	candidates := [][]int32{{2, 1, 4}, {0, 3, 5}}
	scores := [][]float32{make([]float32, 3), make([]float32, 3)}
	if err := m.Score(nn.NewTape(1), batch, candidates, scores); err != nil {
		t.Fatal(err)
	}
	tape := nn.NewTape(1)
	state := m.Encode(tape, batch)
	for row, items := range candidates {
		for j, item := range items {
			e := m.embed.Items.Weight.Value.Data[int(item)*4 : int(item)*4+4]
			var dot float32
			for k := range 4 {
				dot += e[k] * state.Data()[row*4+k]
			}
			if d := dot - scores[row][j]; d > 1e-5 || d < -1e-5 {
				t.Errorf("row %d candidate %d: score %v, want the dot product %v", row, j, scores[row][j], dot)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	m, err := New(handData(), tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(b *prep.Batch)
		wanted string
	}{
		{"search row", func(b *prep.Batch) { b.Kind[1] = int32(datasets.Search) }, "row 1 has task code 1"},
		{"history item", func(b *prep.Batch) { b.RecItems[2] = 7 }, "history slot 2 contains item 7"},
		{"target", func(b *prep.Batch) { b.Target[0] = -1 }, "target is item -1"},
		{"negative", func(b *prep.Batch) { b.Negatives[3] = 9 }, "negative 1 is item 9"},
		{"width", func(b *prep.Batch) { b.RecWidth = 3 }, "history width is 3"},
	}
	for _, tt := range tests {
		b := handBatch()
		tt.edit(b)
		_, _, err := m.Loss(nn.NewTape(1), b, nil)
		if err == nil || !strings.Contains(err.Error(), tt.wanted) {
			t.Errorf("%s: Loss returned %v, want an error containing %q", tt.name, err, tt.wanted)
		}
	}
	scores := [][]float32{make([]float32, 2), make([]float32, 2)}
	err = m.Score(nn.NewTape(1), handBatch(), [][]int32{{0, 1}, {2, 7}}, scores)
	if err == nil || !strings.Contains(err.Error(), "candidate 1 is item 7") {
		t.Errorf("Score with item 7 of 7 returned %v, want an error", err)
	}
	err = m.Score(nn.NewTape(1), handBatch(), [][]int32{{0, 1}}, scores)
	if err == nil || !strings.Contains(err.Error(), "1 candidate lists") {
		t.Errorf("Score with one candidate list for two rows returned %v, want an error", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *Config)
		wanted string
	}{
		{"dim", func(c *Config) { c.Dim = 0 }, "dim = 0"},
		{"blocks", func(c *Config) { c.Blocks = -1 }, "blocks = -1"},
		{"dropout", func(c *Config) { c.Dropout = 1 }, "dropout = 1"},
		{"activation", func(c *Config) { c.Activation = "swish" }, `activation "swish"`},
		{"init", func(c *Config) { c.InitStd = 0 }, "init_std = 0"},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		tt.edit(&cfg)
		if _, err := New(handData(), cfg); err == nil || !strings.Contains(err.Error(), tt.wanted) {
			t.Errorf("%s: New returned %v, want an error containing %q", tt.name, err, tt.wanted)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig is invalid: %v", err)
	}
}

// TestTrainTiny trains a 16-wide model twice on the tiny synthetic preset with the same seed:
// the loss must fall and both runs must give the same metrics.
func TestTrainTiny(t *testing.T) {
	data := loadTiny(t)
	run := func() *train.Result {
		cfg := DefaultConfig()
		cfg.Dim = 16
		m, err := New(data, cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, tinyTrainConfig(), quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first, second := run(), run()
	losses := []float64{first.Epochs[0].Loss["total"], first.Epochs[len(first.Epochs)-1].Loss["total"]}
	if !(losses[1] < losses[0]) {
		t.Errorf("training loss went from %.4f to %.4f; want a decrease", losses[0], losses[1])
	}
	if diff := cmp.Diff(first.Test, second.Test); diff != "" {
		t.Errorf("two runs with one seed gave different test results (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(first.Epochs[len(first.Epochs)-1].Loss, second.Epochs[len(second.Epochs)-1].Loss); diff != "" {
		t.Errorf("two runs with one seed gave different losses (-first +second):\n%s", diff)
	}
}
