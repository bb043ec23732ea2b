// Package traintest holds checks that model packages' tests share: training a model through the
// trainer on the default synthetic data and comparing it with the popularity ranker.
package traintest

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"testing"

	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
)

// BeatsPopOnDefault trains the model that build returns on the default synthetic KuaiSAR-shaped
// preset with the batch size of the experiment files for that data (256) and fails t unless
// its test NDCG@5 beats the popularity ranker's on each of tasks. It takes minutes, so it skips unless
// SRBENCH_LONG=1; SRBENCH_LONG_EPOCHS caps the epochs (default 6, the experiment files' cap)
// and SRBENCH_LONG_WORKERS sets the workers (default 2).
func BeatsPopOnDefault(t *testing.T, tasks []datasets.Kind, build func(*prep.Prepared) (train.Model, error)) {
	t.Helper()
	if os.Getenv("SRBENCH_LONG") != "1" {
		t.Skip("set SRBENCH_LONG=1 to train on the default preset")
	}
	data := prepareDefault(t)
	cfg := train.DefaultConfig()
	cfg.BatchSize = 256
	cfg.Epochs, cfg.Workers = envInt(t, "SRBENCH_LONG_EPOCHS", 6), envInt(t, "SRBENCH_LONG_WORKERS", 2)
	opts := train.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), Quiet: true}

	popModel, err := pop.New(data, tasks...)
	if err != nil {
		t.Fatal(err)
	}
	popRes, err := train.Train(context.Background(), popModel, data, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Train(context.Background(), m, data, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}

	for _, e := range res.Epochs {
		t.Logf("epoch %d: %.1f s, %d steps, loss %.4f, valid ndcg@5 %.4f", e.Epoch, e.Seconds, e.Steps, e.Loss["total"], e.Selection)
	}
	t.Logf("best epoch %d; backend %s; peak RSS %d MB", res.BestEpoch, res.Backend, res.PeakRSSBytes>>20)
	for _, task := range tasks {
		scope := task.String()
		got, floor := res.Test.Scopes[scope].Randomized, popRes.Test.Scopes[scope].Randomized
		t.Logf("test %s: model %v; pop %v", scope, got, floor)
		if !(got["ndcg@5"] > floor["ndcg@5"]) {
			t.Errorf("test %s NDCG@5 %.4f does not beat popularity's %.4f", scope, got["ndcg@5"], floor["ndcg@5"])
		}
	}
}

func prepareDefault(t *testing.T) *prep.Prepared {
	t.Helper()
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeDefault)
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

// envInt returns the positive integer in the environment variable key, or fallback when it
// is unset.
func envInt(t *testing.T, key string, fallback int) int {
	t.Helper()
	s := os.Getenv(key)
	if s == "" {
		return fallback
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s = %q is invalid: want a positive integer", key, s)
	}
	return n
}
