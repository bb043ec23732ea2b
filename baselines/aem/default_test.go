package aem

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"testing"

	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/experiments/train"
)

// TestDefaultPresetBeatsPopularity trains AEM and ZAM on the default KuaiSAR-shaped synthetic
// preset and requires each to beat the popularity ranker on test search NDCG@5. It takes
// minutes, so it runs only when SRBENCH_BASELINE_DEFAULT is set; SRBENCH_BASELINE_EPOCHS caps
// the epochs (default 20).
func TestDefaultPresetBeatsPopularity(t *testing.T) {
	if os.Getenv("SRBENCH_BASELINE_DEFAULT") == "" {
		t.Skip("set SRBENCH_BASELINE_DEFAULT=1 to train on the default synthetic preset")
	}
	data, err := prepareSynthetic(synthetic.SizeDefault)
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.Workers = 20, 2
	if s := os.Getenv("SRBENCH_BASELINE_EPOCHS"); s != "" {
		if cfg.Epochs, err = strconv.Atoi(s); err != nil {
			t.Fatalf("SRBENCH_BASELINE_EPOCHS=%q: %v", s, err)
		}
	}
	opts := train.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), Quiet: true}

	popModel, err := pop.New(data, datasets.Search)
	if err != nil {
		t.Fatal(err)
	}
	popRes, err := train.Train(context.Background(), popModel, data, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	floor := popRes.Test.Scopes["search"].Randomized
	t.Logf("pop: test search %v", floor)

	for _, zero := range []bool{false, true} {
		name := "aem"
		if zero {
			name = "zam"
		}
		o := DefaultOptions()
		o.ZeroAttention = zero
		m, err := New(name, data, o, 1)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Train(context.Background(), m, data, cfg, opts)
		if err != nil {
			t.Fatal(err)
		}
		var seconds float64
		for _, e := range res.Epochs {
			seconds += e.Seconds
		}
		got := res.Test.Scopes["search"].Randomized
		t.Logf("%s: %d epochs, best %d, %.1f s per epoch (training and validation), peak RSS %d MB, test search %v",
			name, len(res.Epochs), res.BestEpoch, seconds/float64(len(res.Epochs)), res.PeakRSSBytes>>20, got)
		if !(got["ndcg@5"] > floor["ndcg@5"]) {
			t.Errorf("%s: test search NDCG@5 %.4f does not beat the popularity ranker's %.4f", name, got["ndcg@5"], floor["ndcg@5"])
		}
	}
}
