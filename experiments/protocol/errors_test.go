package protocol

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets"
)

func TestRankRejects(t *testing.T) {
	good := func() []Case { return makeCases(datasets.Search, 0, 10, 100) }
	errScorer := errors.New("model exploded")
	tests := []struct {
		name   string
		cases  func() []Case
		scorer Scorer
		cfg    func(*Config)
		want   string
	}{
		{name: "no cases", cases: func() []Case { return nil }, want: "no cases"},
		{name: "short case", cases: func() []Case {
			c := good()
			c[4].Candidates = c[4].Candidates[:99]
			return c
		}, want: "cases[4] (search case 4): 99 candidates, want 100"},
		{name: "duplicate id", cases: func() []Case {
			c := good()
			c[6].ID = 2
			return c
		}, want: "cases[2] and cases[6] are both search case 2"},
		{name: "positive repeated", cases: func() []Case {
			c := good()
			c[1].Candidates[50] = c[1].Candidates[0]
			return c
		}, want: "Candidates[50] = 1000 repeats the positive"},
		{name: "negative item", cases: func() []Case {
			c := good()
			c[3].Candidates[9] = -1
			return c
		}, want: "Candidates[9] = -1"},
		{name: "bad task", cases: func() []Case {
			c := good()
			c[0].Task = 9
			return c
		}, want: "invalid task Kind(9)"},
		{name: "batch size", cfg: func(c *Config) { c.BatchSize = -2 }, want: "Config.BatchSize -2"},
		{name: "workers", cfg: func(c *Config) { c.Workers = -1 }, want: "Config.Workers -1"},
		{name: "candidates", cfg: func(c *Config) { c.Candidates = -5 }, want: "Config.Candidates -5"},
		{name: "order", cfg: func(c *Config) { c.Order = 7 }, want: "Config.Order CandidateOrder(7)"},
		{name: "metric cutoff", cfg: func(c *Config) { c.Metrics = []Metric{{HR, 0}} }, want: "hr@0"},
		{name: "metric repeated", cfg: func(c *Config) { c.Metrics = []Metric{{NDCG, 5}, {NDCG, 5}} }, want: "\"ndcg@5\" appears twice"},
		{name: "metrics empty", cfg: func(c *Config) { c.Metrics = []Metric{} }, want: "empty"},
		{name: "scorer error", scorer: ScorerFunc(func([]Case, [][]float32) error { return errScorer }),
			want: "scoring cases[0:10] (first: search case 0): model exploded"},
		{name: "nan positive", scorer: scoreByIndex(func(c Case, index int) float32 {
			if c.ID == 5 && index == 0 {
				return float32(math.NaN())
			}
			return 1
		}), want: "cases[5] (search case 5): candidate"},
		{name: "nan negative", scorer: scoreByIndex(func(c Case, index int) float32 {
			if c.ID == 8 && index == 30 {
				return float32(math.NaN())
			}
			return 1
		}), want: "(item 8030, positive: false) has score NaN"},
		{name: "unset score", scorer: ScorerFunc(func([]Case, [][]float32) error { return nil }),
			want: "cases[0] (search case 0)"},
		{name: "replaced slice", scorer: ScorerFunc(func(batch []Case, scores [][]float32) error {
			for i := range scores {
				scores[i] = make([]float32, 3)
			}
			return nil
		}), want: "replaced scores[i] with a slice of length 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases := good()
			if tt.cases != nil {
				cases = tt.cases()
			}
			scorer := Scorer(constantScorer)
			if tt.scorer != nil {
				scorer = tt.scorer
			}
			cfg := quietConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			res, err := Rank(context.Background(), cases, scorer, cfg)
			if err == nil {
				t.Fatalf("Rank succeeded with %d cases, want an error containing %q", len(res.Cases), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestRankScorerErrorWrapped(t *testing.T) {
	errScorer := errors.New("out of memory")
	scorer := ScorerFunc(func([]Case, [][]float32) error { return errScorer })
	_, err := Rank(context.Background(), makeCases(datasets.Rec, 0, 3, 100), scorer, quietConfig())
	if !errors.Is(err, errScorer) {
		t.Errorf("error %v does not wrap the scorer's error", err)
	}
}

func TestRankErrorSameForWorkers(t *testing.T) {
	// Cases 40 and later fail; the error must name case 40 whatever the worker count.
	cases := makeCases(datasets.Rec, 0, 200, 100)
	scorer := scoreByIndex(func(c Case, index int) float32 {
		if c.ID >= 40 {
			return float32(math.NaN())
		}
		return 0
	})
	for _, workers := range []int{1, 2, 4} {
		cfg := quietConfig()
		cfg.BatchSize, cfg.Workers = 7, workers
		_, err := Rank(context.Background(), cases, scorer, cfg)
		if err == nil || !strings.Contains(err.Error(), "cases[40] (rec case 40)") {
			t.Errorf("%d workers: error %v, want one naming cases[40] (rec case 40)", workers, err)
		}
	}
}

func TestRankCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Rank(ctx, makeCases(datasets.Rec, 0, 3, 100), constantScorer, quietConfig())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
