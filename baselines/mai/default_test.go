package mai

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

// TestDefaultPresetBeatsPopularity trains MAI on the default KuaiSAR-shaped synthetic preset
// and requires it to beat the popularity ranker on test search NDCG@5. It takes many minutes,
// so it runs only when SRBENCH_BASELINE_DEFAULT is set; SRBENCH_BASELINE_EPOCHS caps the epochs
// (default 20).
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

	m, err := New(data, DefaultOptions(), 1)
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
	t.Logf("pop: test search %v", floor)
	t.Logf("mai: %d epochs, best %d, %.1f s per epoch (training and validation), peak RSS %d MB, test search %v",
		len(res.Epochs), res.BestEpoch, seconds/float64(len(res.Epochs)), res.PeakRSSBytes>>20, got)
	if !(got["ndcg@5"] > floor["ndcg@5"]) {
		t.Errorf("mai: test search NDCG@5 %.4f does not beat the popularity ranker's %.4f", got["ndcg@5"], floor["ndcg@5"])
	}
}
