package dhim_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"

	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/dhim"
	"github.com/srbench/srbench/experiments/train"
)

func prepared(t *testing.T, size string) *prep.Prepared {
	t.Helper()
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, size)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func quietOptions() train.Options {
	return train.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Quiet: true}
}

// TestTrainerReproducible trains a small DHIM twice through the trainer with the same seed
// and worker count and expects bit-identical test metrics.
func TestTrainerReproducible(t *testing.T) {
	p := prepared(t, synthetic.SizeTiny)
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.MaxStepsPerEpoch, cfg.Workers = 1, 64, 4, 2
	run := func() map[string]float64 {
		o := dhim.DefaultOptions()
		o.Dim, o.FFNDim, o.ExpertHidden, o.SharedExperts, o.TaskExperts = 8, 8, 8, 2, 1
		o.AttnHidden, o.TowerHidden, o.HeadHidden = []int{8}, []int{8}, []int{8}
		m, err := dhim.New(p, o, 3)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, p, cfg, quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		return res.Test.Scopes["overall"].Randomized
	}
	first, second := run(), run()
	for k, v := range first {
		if second[k] != v {
			t.Errorf("%s = %v then %v; want identical runs", k, v, second[k])
		}
	}
	if len(first) == 0 {
		t.Error("no overall test metrics")
	}
}

// TestBeatsPopularity trains DHIM on the default synthetic dataset with the settings of the
// experiment files for that data (batch 256, 2 workers) and compares its test NDCG@10 per task
// with the popularity ranker's. It takes minutes, so it runs only when DHIM_TRAIN_DEFAULT=1;
// DHIM_EPOCHS overrides the epoch count (default 3).
func TestBeatsPopularity(t *testing.T) {
	if os.Getenv("DHIM_TRAIN_DEFAULT") != "1" {
		t.Skip("set DHIM_TRAIN_DEFAULT=1 to train on the default synthetic dataset")
	}
	p := prepared(t, synthetic.SizeDefault)
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.BatchSize, cfg.Workers = 3, 256, 2
	if e := os.Getenv("DHIM_EPOCHS"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 1 {
			t.Fatalf("DHIM_EPOCHS = %q is invalid: want a positive whole number", e)
		}
		cfg.Epochs = n
	}
	m, err := dhim.New(p, dhim.DefaultOptions(), 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Train(context.Background(), m, p, cfg, train.Options{Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	popModel, err := pop.New(p)
	if err != nil {
		t.Fatal(err)
	}
	popCfg := cfg
	popCfg.Epochs = 1
	popRes, err := train.Train(context.Background(), popModel, p, popCfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Epochs {
		t.Logf("epoch %d: %d steps, %.1f s, %.2f steps/s, peak RSS %d MiB, loss %.4f",
			e.Epoch, e.Steps, e.Seconds, e.StepsPerSecond, e.PeakRSSBytes>>20, e.Loss["total"])
	}
	for _, scope := range []string{"rec", "search", "overall"} {
		d, q := res.Test.Scopes[scope].Randomized, popRes.Test.Scopes[scope].Randomized
		t.Logf("%s: DHIM ndcg@10 %.4f hr@10 %.4f; popularity ndcg@10 %.4f hr@10 %.4f", scope, d["ndcg@10"], d["hr@10"], q["ndcg@10"], q["hr@10"])
		if scope != "overall" && !(d["ndcg@10"] > 1.2*q["ndcg@10"]) {
			t.Errorf("%s test NDCG@10: DHIM %.4f, popularity %.4f; want DHIM above 1.2× popularity", scope, d["ndcg@10"], q["ndcg@10"])
		}
	}
}
