package din

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

// tinyConfig is DIN at width 4 for gradient checks.
func tinyConfig() Config {
	cfg := DefaultConfig()
	cfg.Dim, cfg.AttentionHidden, cfg.HeadHidden = 4, []int{5, 3}, []int{6, 4}
	return cfg
}

// TestGradCheck compares the analytic gradient of the training loss with central
// differences: tolerance 1e-2 relative error (GradCheck's default, since the forward pass runs
// in float32) at step 3e-3, below the default 1e-2 so that no PReLU or ReLU kink falls inside
// a difference.
func TestGradCheck(t *testing.T) {
	for _, act := range []string{"prelu", "sigmoid", "relu"} {
		cfg := tinyConfig()
		cfg.Activation = act
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

// TestAttentionMatchesLayer checks the factored activation unit against layer.DINAttention,
// which builds [q, k, q−k, q⊙k] explicitly, for every candidate of the hand batch.
func TestAttentionMatchesLayer(t *testing.T) {
	m, err := New(handData(), tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	batch := handBatch()
	ids := []int32{2, 1, 4, 0, 3, 6}
	tape := nn.NewTape(1)
	h := m.encodeHistory(tape, batch, 0, 2)
	got := m.attentionWeights(h, m.itemVectors(tape, ids, 2, 3)).Data() // [2, 3, 4]

	mask := nn.NewMask(2, 4)
	for i, item := range batch.RecItems {
		mask.Keep[i] = item != nn.PaddingID
	}
	for c := range 3 {
		query := m.itemVectors(tape, []int32{ids[c], ids[3+c]}, 2)
		want := m.attention.Scores(query, h.keys, mask).Data() // [2, 4]
		for row := range 2 {
			for slot := range 4 {
				g, w := got[(row*3+c)*4+slot], want[row*4+slot]
				if d := g - w; d > 1e-5 || d < -1e-5 {
					t.Errorf("row %d candidate %d slot %d: weight %v, layer.DINAttention gives %v", row, c, slot, g, w)
				}
			}
		}
	}
	if got[0] != 0 || got[1] != 0 {
		t.Errorf("padded slots of row 0 have weights %v and %v, want 0", got[0], got[1])
	}
}

// TestScoreMatchesLoss checks that chunked scoring gives the logits of the training path,
// whatever rows share a chunk.
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
	want := m.logits(m.encodeHistory(tape, batch, 0, 2), seqrecTrainIDs(batch)).Data()
	for row := range 2 {
		for j := range 3 {
			if d := scores[row][j] - want[row*3+j]; d > 1e-5 || d < -1e-5 {
				t.Errorf("row %d candidate %d: score %v, training logit %v", row, j, scores[row][j], want[row*3+j])
			}
		}
	}
}

// seqrecTrainIDs returns the hand batch's targets and negatives, [2, 3].
func seqrecTrainIDs(b *prep.Batch) []int32 {
	return []int32{b.Target[0], b.Negatives[0], b.Negatives[1], b.Target[1], b.Negatives[2], b.Negatives[3]}
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
		{"user", func(b *prep.Batch) { b.User[1] = 3 }, "row 1 has user 3"},
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
	bad := handData()
	bad.Dataset.Items[2].Categories = []int32{5}
	if _, err := New(bad, tinyConfig()); err == nil || !strings.Contains(err.Error(), "item 2") {
		t.Errorf("New with category 5 of 3 returned %v, want an error naming item 2", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *Config)
		wanted string
	}{
		{"odd dim", func(c *Config) { c.Dim = 5 }, "dim = 5"},
		{"attention empty", func(c *Config) { c.AttentionHidden = nil }, "attention_hidden is empty"},
		{"attention width", func(c *Config) { c.AttentionHidden = []int{4, 0} }, "attention_hidden[1] = 0"},
		{"head width", func(c *Config) { c.HeadHidden = []int{-2} }, "head_hidden[0] = -2"},
		{"dice", func(c *Config) { c.Activation = "dice" }, "running statistics"},
		{"unknown", func(c *Config) { c.Activation = "gelu" }, `"gelu" is invalid`},
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

// TestTrainTiny trains an 8-wide model twice on the tiny synthetic preset with the same seed:
// the loss must fall and both runs must give the same metrics.
func TestTrainTiny(t *testing.T) {
	data := loadTiny(t)
	run := func() *train.Result {
		cfg := DefaultConfig()
		cfg.Dim, cfg.AttentionHidden, cfg.HeadHidden = 8, []int{8, 4}, []int{16, 8}
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
