package aem

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
)

// tinyData prepares the tiny KuaiSAR-shaped synthetic preset once per test binary.
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

// smallOptions shrinks the model for gradient checks.
func smallOptions(zero bool) Options {
	o := DefaultOptions()
	o.Dim, o.AttentionHidden, o.ZeroAttention = 4, 2, zero
	return o
}

// trainBatch builds a training batch of the first n search samples that have search history.
func trainBatch(t testing.TB, data *prep.Prepared, n int) *prep.Batch {
	t.Helper()
	var picked []int
	samples := data.Tasks[datasets.Search].Train
	for i, s := range samples {
		if _, search := data.History(s); len(search) > 0 {
			picked = append(picked, i)
		}
		if len(picked) == n {
			break
		}
	}
	if len(picked) < n {
		t.Fatalf("found %d search samples with history, want %d", len(picked), n)
	}
	return prep.NewBatchBuilder(data, n).BuildTrain(samples, picked, 1)
}

// quickConfig is a short training run for tests.
func quickConfig(epochs int) train.Config {
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.Workers, cfg.Patience = epochs, 256, 2, epochs
	cfg.MaxStepsPerEpoch = 10
	return cfg
}

func quietOptions() train.Options {
	return train.Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
}
