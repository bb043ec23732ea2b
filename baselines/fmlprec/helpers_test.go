package fmlprec

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
)

// tinyData prepares the synthetic tiny KuaiSAR-shaped preset once per test binary.
var tinyData = sync.OnceValues(func() (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		return nil, err
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, prep.DefaultOptions())
})

func loadTiny(t testing.TB) *prep.Prepared {
	t.Helper()
	data, err := tinyData()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// handData is a 7-item, 3-user catalogue with histories of 4 and 2 training negatives.
func handData() *prep.Prepared {
	ds := &datasets.Dataset{Name: "hand", Users: make([]datasets.User, 3), Items: make([]datasets.Item, 7)}
	opts := prep.DefaultOptions()
	opts.MaxRecHistory, opts.TrainNegatives = 4, 2
	return &prep.Prepared{Dataset: ds, Options: opts}
}

// handBatch has two recommendation rows, one with a padded history.
func handBatch() *prep.Batch {
	return &prep.Batch{
		Cap: 2, Size: 2, RecWidth: 4, NegativeWidth: 2,
		User:      []int32{0, 2},
		Kind:      []int32{int32(datasets.Rec), int32(datasets.Rec)},
		Target:    []int32{2, 0},
		Negatives: []int32{1, 4, 3, 5},
		RecItems:  []int32{-1, -1, 3, 5, 1, 2, 4, 6},
	}
}

// quietOptions returns trainer options that log nothing and show no progress bar.
func quietOptions() train.Options {
	return train.Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
}

// tinyTrainConfig is a short trainer run: 3 epochs of 12 steps of 128 samples on 2 workers.
func tinyTrainConfig() train.Config {
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.MaxStepsPerEpoch, cfg.Workers, cfg.EvalBatchSize = 3, 128, 12, 2, 256
	return cfg
}
