package train

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/experiments/protocol"
)

// smallConfig is a quick configuration for the tiny preset: 12,874 rec and 7,167 search
// training samples give 13 steps per epoch at batch 1024.
func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.Epochs = 4
	cfg.LR = 0.01
	cfg.L2 = 0
	return cfg
}

// ignoreTimes drops the fields that measure time or memory, which differ between equal runs.
var ignoreTimes = cmp.Options{
	cmpopts.IgnoreFields(Result{}, "WallSeconds", "PeakRSSBytes"),
	cmpopts.IgnoreFields(EpochRecord{}, "Seconds", "StepsPerSecond", "PeakRSSBytes"),
}

func TestTrainBeatsPopularity(t *testing.T) {
	data := loadTiny(t)
	popModel, err := pop.New(data)
	if err != nil {
		t.Fatal(err)
	}
	popRes, err := Train(context.Background(), popModel, data, smallConfig(), quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Train(context.Background(), newDotModel(data, 16, 1), data, smallConfig(), quietOptions())
	if err != nil {
		t.Fatal(err)
	}

	first, last := res.Epochs[0].Loss["total"], res.Epochs[len(res.Epochs)-1].Loss["total"]
	if !(last < 0.8*first) {
		t.Errorf("training loss went from %.4f to %.4f; want a fall of at least 20%%", first, last)
	}
	popSel := popRes.Epochs[0].Selection
	best := res.Epochs[res.BestEpoch-1].Selection
	t.Logf("validation NDCG@5 mean: model %.4f (epoch %d), popularity %.4f", best, res.BestEpoch, popSel)
	if !(best > popSel) {
		t.Errorf("best validation NDCG@5 mean %.4f does not beat the popularity ranker's %.4f", best, popSel)
	}
	// 100 candidates in random order give NDCG@5 = (1 + 1/log2 3 + 1/2 + 1/log2 5 + 1/log2 6)/100 ≈ 0.0296.
	for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
		if got := res.Test.Scopes[scope].Randomized["ndcg@5"]; !(got > 0.15) {
			t.Errorf("test %s NDCG@5 = %.4f; want above 0.15, five times the random 0.0296", scope, got)
		}
	}
}

func TestTrainPopularityOneEpoch(t *testing.T) {
	data := loadTiny(t)
	m, err := pop.New(data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Train(context.Background(), m, data, smallConfig(), quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Epochs) != 1 || res.Epochs[0].Steps != 0 || res.BestEpoch != 1 || res.Params != 0 {
		t.Errorf("epochs %d, steps %d, best epoch %d, params %d; want 1, 0, 1, 0",
			len(res.Epochs), res.Epochs[0].Steps, res.BestEpoch, res.Params)
	}
	// Training-split popularity ranks far better than random (HR@10 = 0.1) on data with a
	// long-tailed item popularity.
	if got := res.Test.Scopes[protocol.ScopeOverall].TieAveraged["hr@10"]; !(got > 0.2) {
		t.Errorf("popularity test HR@10 = %.4f; want above 0.2", got)
	}
}

func TestTrainReproducible(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs = 2
	cfg.Workers = 2
	run := func() *Result {
		res, err := Train(context.Background(), newDotModel(data, 8, 3), data, cfg, quietOptions())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b, ignoreTimes); diff != "" {
		t.Errorf("two runs with seed %d and %d workers differ (-first +second):\n%s", cfg.Seed, cfg.Workers, diff)
	}

	// One worker sums the same rows in another order and draws other dropout streams (the
	// model has no dropout), so the curves agree closely but need not be bit-identical.
	cfg.Workers = 1
	one := run()
	for i := range one.Epochs {
		x, y := one.Epochs[i].Loss["total"], a.Epochs[i].Loss["total"]
		if math.Abs(x-y) > 1e-3*math.Abs(x) {
			t.Errorf("epoch %d loss: %.6f with 1 worker, %.6f with 2; want them within 0.1%%", i+1, x, y)
		}
	}

	cfg.Seed = 2
	c := run()
	if cmp.Equal(one.Epochs[0].Loss, c.Epochs[0].Loss) {
		t.Errorf("seeds 1 and 2 give the same epoch-1 loss %v; the seed must change the sample order", one.Epochs[0].Loss)
	}
}

func TestTrainResume(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Patience = 2
	cfg.LRPatience = 0
	whole, err := Train(context.Background(), newDotModel(data, 8, 5), data, cfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "run.ckpt")
	interrupted := errors.New("interrupted")
	opts := quietOptions()
	opts.Checkpoint = path
	opts.OnEpoch = func(rec EpochRecord) error {
		if rec.Epoch == 2 {
			return interrupted
		}
		return nil
	}
	if _, err := Train(context.Background(), newDotModel(data, 8, 5), data, cfg, opts); !errors.Is(err, interrupted) {
		t.Fatalf("interrupted run returned %v, want the OnEpoch error", err)
	}

	opts.OnEpoch = nil
	opts.Resume = true
	// A different initialisation shows that the weights come from the checkpoint.
	resumed, err := Train(context.Background(), newDotModel(data, 8, 99), data, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(whole, resumed, ignoreTimes); diff != "" {
		t.Errorf("resumed run differs from the uninterrupted one (-whole +resumed):\n%s", diff)
	}
}

func TestTrainResumeRejectsOtherConfig(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs = 1
	opts := quietOptions()
	opts.Checkpoint = filepath.Join(t.TempDir(), "run.ckpt")
	if _, err := Train(context.Background(), newDotModel(data, 8, 5), data, cfg, opts); err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 2
	cfg.LR = 0.02
	opts.Resume = true
	_, err := Train(context.Background(), newDotModel(data, 8, 5), data, cfg, opts)
	if err == nil || !strings.Contains(err.Error(), "same config") {
		t.Errorf("resuming with another lr returned %v, want an error asking for the same config", err)
	}
}

func TestTrainCancel(t *testing.T) {
	data := loadTiny(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Train(ctx, newDotModel(data, 8, 1), data, smallConfig(), quietOptions())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Train with a cancelled context returned %v, want context.Canceled", err)
	}
}

func TestTrainSingleTask(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs = 1
	res, err := Train(context.Background(), newDotModel(data, 8, 1, datasets.Search), data, cfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(res.Tasks, []string{"search"}) {
		t.Errorf("tasks = %v, want [search]", res.Tasks)
	}
	if _, ok := res.Test.Scopes[protocol.ScopeRec]; ok {
		t.Error("a search-only model was tested on rec cases")
	}
	if _, ok := res.Epochs[0].Loss["click_rec"]; ok {
		t.Error("a search-only model received rec batches")
	}
	// Search alone: 7,167 samples in batches of 1,024.
	if got := res.Epochs[0].Steps; got != 7 {
		t.Errorf("steps = %d, want 7", got)
	}
	if got, want := res.Epochs[0].Selection, res.Epochs[0].Valid[protocol.ScopeSearch].Randomized["ndcg@5"]; got != want {
		t.Errorf("selection = %v, want the search NDCG@5 %v", got, want)
	}
}

func TestTrainMaxSteps(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs = 1
	cfg.MaxStepsPerEpoch = 2
	res, err := Train(context.Background(), newDotModel(data, 8, 1), data, cfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Epochs[0].Steps; got != 2 {
		t.Errorf("steps = %d, want max_steps_per_epoch 2", got)
	}
}

func TestResultJSON(t *testing.T) {
	data := loadTiny(t)
	cfg := smallConfig()
	cfg.Epochs = 1
	res, err := Train(context.Background(), newDotModel(data, 8, 1), data, cfg, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	text, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"best_epoch":1`, `"epochs":[{"epoch":1`, `"test":{"seed":1`, `"tie_averaged"`, `"cases":[{"task":`} {
		if !strings.Contains(string(text), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	var back Result
	if err := json.Unmarshal(text, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*res, back); diff != "" {
		t.Errorf("JSON round trip changed the result (-before +after):\n%s", diff)
	}
}
