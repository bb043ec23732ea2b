package unisar

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/experiments/train/traintest"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// generate generates a synthetic KuaiSAR-shaped preset, with users users unless 0, and
// prepares it with opts.
func generate(size string, users int, opts prep.Options) (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, size)
	if err != nil {
		return nil, err
	}
	if users > 0 {
		cfg.Users = users
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, opts)
}

func prepare(t *testing.T, size string, opts prep.Options) *prep.Prepared {
	t.Helper()
	data, err := generate(size, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tiny prepares the tiny preset cut to 100 users once per test binary, so that a training
// run's evaluations stay short.
var tiny = sync.OnceValues(func() (*prep.Prepared, error) {
	return generate(synthetic.SizeTiny, 100, prep.DefaultOptions())
})

func tinyData(t *testing.T) *prep.Prepared {
	t.Helper()
	data, err := tiny()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// smallConfig shrinks every width so that tests run in seconds.
func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.Features.Dim, cfg.Features.FieldDim = 16, 8
	cfg.FFN = 16
	cfg.ExpertHidden, cfg.Tower, cfg.Head = []int{16}, []int{16}, []int{16}
	cfg.QueryItemNegatives, cfg.QueryItemPairs = 32, 64
	return cfg
}

func quiet() train.Options {
	return train.Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
}

// TestGradCheck compares every gradient of the loss (parameters up to 200 elements, so not
// the large id tables) with central differences, term by term and all together, on 2-row
// batches of short histories. Biases are drawn at random so that no ReLU input sits exactly
// at its kink, and both temperatures are 1, because at τ = 0.1 the curvature of tanh(·)/τ
// makes the float32 difference quotient itself wrong by a few percent. Tolerance: relative
// error 2e-2 at step 3e-3 (float32 forward passes).
func TestGradCheck(t *testing.T) {
	opts := prep.DefaultOptions()
	opts.MaxRecHistory, opts.MaxSearchHistory, opts.MaxClicks, opts.TrainNegatives = 3, 2, 2, 1
	data := prepare(t, synthetic.SizeTiny, opts)
	var batches [2]*prep.Batch
	for k := range batches {
		batches[k] = prep.NewBatchBuilder(data, 2).BuildTrain(data.Tasks[k].Train, []int{0, 81}, 0)
	}
	tests := []struct {
		name                string
		align, queryItem    float32
		withRec, withSearch bool
	}{
		{"click rec", 0, 0, true, false},
		{"click search", 0, 0, false, true},
		{"align", 0.5, 0, true, false},
		{"query item", 0, 0.5, true, false},
		{"all terms", 0.5, 0.5, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := smallConfig()
			cfg.Features.Dim, cfg.Features.FieldDim, cfg.FFN = 4, 2, 4
			cfg.SharedExperts, cfg.TaskExperts = 1, 1
			cfg.ExpertHidden, cfg.Tower, cfg.Head = []int{3}, []int{3}, []int{3}
			cfg.QueryItemNegatives = 3
			cfg.AlignTemp, cfg.QueryItemTemp = 1, 1
			cfg.AlignWeight, cfg.QueryItemWeight, cfg.SearchLossWeight = tt.align, tt.queryItem, 0.7
			m, err := New(data, cfg, 3)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 5))
			var checked []*nn.Param
			for _, p := range m.Params() {
				if strings.HasSuffix(p.Name, "bias") {
					layer.Uniform(p, 0.2, rng)
				}
				if p.Value.Len() <= 200 {
					checked = append(checked, p)
				}
			}
			rec, search := batches[0], batches[1]
			if !tt.withRec {
				rec = nil
			}
			if !tt.withSearch {
				search = nil
			}
			res, err := nn.GradCheck(func(tape *nn.Tape) *nn.Var {
				loss, _, err := m.Loss(tape, rec, search)
				if err != nil {
					t.Fatal(err)
				}
				return loss
			}, checked, nn.GradCheckConfig{Step: 3e-3, Tol: 2e-2})
			t.Logf("checked %d elements; worst %s[%d]: analytic %.5g numeric %.5g", res.Checked, res.Param, res.Index, res.Analytic, res.Numeric)
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestScoreIndependentOfBatch scores cases of both tasks together and alone.
func TestScoreIndependentOfBatch(t *testing.T) {
	m, err := New(tinyData(t), smallConfig(), 5)
	if err != nil {
		t.Fatal(err)
	}
	traintest.ScoreIndependent(t, tinyData(t), m.Score)
}

func TestLossFalls(t *testing.T) {
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.MaxStepsPerEpoch, cfg.LR = 2, 256, 10, 0.003
	m, err := New(tinyData(t), smallConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Train(context.Background(), m, tinyData(t), cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	first, last := res.Epochs[0].Loss["total"], res.Epochs[len(res.Epochs)-1].Loss["total"]
	t.Logf("loss per epoch: first %.4f, last %.4f; terms %v", first, last, res.Epochs[len(res.Epochs)-1].Loss)
	if !(last < 0.9*first) {
		t.Errorf("training loss went from %.4f to %.4f; want a fall of at least 10%%", first, last)
	}
	for _, term := range []string{"click_rec", "click_src", "align_rec", "align_src", "query_item_rec", "query_item_src"} {
		if _, ok := res.Epochs[0].Loss[term]; !ok {
			t.Errorf("epoch record has no loss term %q; terms %v", term, res.Epochs[0].Loss)
		}
	}
}

func TestDeterministic(t *testing.T) {
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.MaxStepsPerEpoch, cfg.Workers = 1, 128, 3, 2
	run := func() map[string]protocol.Summary {
		m, err := New(tinyData(t), smallConfig(), 7)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, tinyData(t), cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		return res.Test.Scopes
	}
	first, second := run(), run()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two runs with seed 7 and 2 workers differ (-first +second):\n%s", diff)
	}
}

// TestDefaultBeatsPop trains on the default synthetic data and requires a higher test NDCG@5
// than the popularity ranker on both tasks (opt-in: SRBENCH_LONG=1).
func TestDefaultBeatsPop(t *testing.T) {
	traintest.BeatsPopOnDefault(t, []datasets.Kind{datasets.Rec, datasets.Search}, func(data *prep.Prepared) (train.Model, error) {
		return New(data, DefaultConfig(), 1)
	})
}
