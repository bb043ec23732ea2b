package protocol

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
)

func TestRankHandRanks(t *testing.T) {
	cases := append(makeCases(datasets.Rec, 0, 3, 100), makeCases(datasets.Search, 0, 1, 100)...)
	ranks := map[caseKey]int{
		{datasets.Rec, 0}: 0, {datasets.Rec, 1}: 3, {datasets.Rec, 2}: 7, {datasets.Search, 0}: 12,
	}
	res, err := Rank(context.Background(), cases, rankScorer(ranks), quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cases {
		want := ranks[caseKey{c.Task, c.ID}]
		if c.Rank != want || c.Greater != want || c.Ties != 0 {
			t.Errorf("%s case %d = rank %d, greater %d, ties %d; want %d, %d, 0", c.Task, c.ID, c.Rank, c.Greater, c.Ties, want, want)
		}
	}

	want := map[string]map[string]float64{
		ScopeRec: {
			"hr@1": 1.0 / 3, "hr@5": 2.0 / 3, "hr@10": 1,
			"ndcg@5": (discount0 + discount3) / 3, "ndcg@10": (discount0 + discount3 + discount7) / 3,
		},
		ScopeSearch: {"hr@1": 0, "hr@5": 0, "hr@10": 0, "ndcg@5": 0, "ndcg@10": 0},
		ScopeOverall: {
			"hr@1": 0.25, "hr@5": 0.5, "hr@10": 0.75,
			"ndcg@5": (discount0 + discount3) / 4, "ndcg@10": (discount0 + discount3 + discount7) / 4,
		},
	}
	for scope, metrics := range want {
		s, ok := res.Scopes[scope]
		if !ok {
			t.Fatalf("scope %q missing", scope)
		}
		for key, w := range metrics {
			if !near(s.Randomized[key], w) {
				t.Errorf("%s %s = %.17g, want %.17g", scope, key, s.Randomized[key], w)
			}
			if !near(s.TieAveraged[key], w) {
				t.Errorf("%s tie-averaged %s = %.17g, want %.17g (no ties)", scope, key, s.TieAveraged[key], w)
			}
		}
		if s.TiedCases != 0 {
			t.Errorf("%s tied cases = %d, want 0", scope, s.TiedCases)
		}
	}
}

func TestRankOverallPools(t *testing.T) {
	// 3 rec cases and 1 search case: overall weighs the tasks by their shares 3/4 and 1/4.
	cases := append(makeCases(datasets.Rec, 0, 3, 100), makeCases(datasets.Search, 0, 1, 100)...)
	ranks := map[caseKey]int{
		{datasets.Rec, 0}: 0, {datasets.Rec, 1}: 3, {datasets.Rec, 2}: 7, {datasets.Search, 0}: 1,
	}
	res, err := Rank(context.Background(), cases, rankScorer(ranks), quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	rec, search, overall := res.Scopes[ScopeRec], res.Scopes[ScopeSearch], res.Scopes[ScopeOverall]
	if rec.Cases != 3 || search.Cases != 1 || overall.Cases != 4 {
		t.Fatalf("cases rec %d, search %d, overall %d; want 3, 1, 4", rec.Cases, search.Cases, overall.Cases)
	}
	for _, m := range DefaultMetrics() {
		key := m.String()
		pooled := 0.75*rec.Randomized[key] + 0.25*search.Randomized[key]
		if !near(overall.Randomized[key], pooled) {
			t.Errorf("overall %s = %.17g, want 3/4 rec + 1/4 search = %.17g", key, overall.Randomized[key], pooled)
		}
	}
}

func TestRankOneTaskScopes(t *testing.T) {
	res, err := Rank(context.Background(), makeCases(datasets.Search, 0, 5, 100), constantScorer, quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Scopes[ScopeRec]; ok {
		t.Error("scope rec present without rec cases")
	}
	if res.Scopes[ScopeSearch].Cases != 5 || res.Scopes[ScopeOverall].Cases != 5 {
		t.Errorf("scopes = %+v, want 5 search and 5 overall cases", res.Scopes)
	}
}

func TestRankTieGroups(t *testing.T) {
	// Case 0: the positive ties 3 others at the top. Case 1: 3 candidates above it and 4 ties.
	cases := makeCases(datasets.Rec, 0, 2, 100)
	scorer := scoreByIndex(func(c Case, index int) float32 {
		if c.ID == 0 {
			if index <= 3 {
				return 1
			}
			return 0
		}
		switch {
		case index >= 1 && index <= 3:
			return 2
		case index <= 7:
			return 1
		}
		return 0
	})
	res, err := Rank(context.Background(), cases, scorer, quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []struct{ greater, ties int }{{0, 3}, {3, 4}}
	for i, w := range wantCounts {
		c := res.Cases[i]
		if c.Greater != w.greater || c.Ties != w.ties {
			t.Errorf("case %d: greater %d, ties %d; want %d, %d", i, c.Greater, c.Ties, w.greater, w.ties)
		}
		if c.Rank < w.greater || c.Rank > w.greater+w.ties {
			t.Errorf("case %d: rank %d outside its tie group [%d, %d]", i, c.Rank, w.greater, w.greater+w.ties)
		}
	}
	s := res.Scopes[ScopeOverall]
	wantAveraged := map[string]float64{
		"hr@1":    (0.25 + 0) / 2,
		"hr@5":    (1 + 0.4) / 2,
		"hr@10":   1,
		"ndcg@5":  ((discount0+discount1+discount2+discount3)/4 + 0.16350587306158695) / 2,
		"ndcg@10": (0.6404015779112127 + 0.36450695250700377) / 2,
	}
	for key, w := range wantAveraged {
		if !near(s.TieAveraged[key], w) {
			t.Errorf("tie-averaged %s = %.17g, want %.17g", key, s.TieAveraged[key], w)
		}
	}
	if s.TiedCases != 2 {
		t.Errorf("tied cases = %d, want 2", s.TiedCases)
	}
}

func TestRankBatchSizeAndWorkers(t *testing.T) {
	cases := append(makeCases(datasets.Rec, 0, 300, 100), makeCases(datasets.Search, 0, 120, 100)...)
	// Three score levels by item id make ties in most cases.
	scorer := ScorerFunc(func(batch []Case, scores [][]float32) error {
		for i, c := range batch {
			for j, item := range c.Candidates {
				scores[i][j] = float32(item % 3)
			}
		}
		return nil
	})
	base := quietConfig()
	base.Seed = 42
	want, err := Rank(context.Background(), cases, scorer, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, batchSize := range []int{1, 7, 256} {
		for _, workers := range []int{1, 3} {
			cfg := base
			cfg.BatchSize, cfg.Workers = batchSize, workers
			got, err := Rank(context.Background(), cases, scorer, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("batch size %d, %d workers: result differs from batch size 256, 1 worker (-want +got):\n%s", batchSize, workers, diff)
			}
		}
	}
}

func TestRankSeed(t *testing.T) {
	cases := makeCases(datasets.Rec, 0, 1000, 100)
	rank := func(seed uint64) []int {
		cfg := quietConfig()
		cfg.Seed = seed
		res, err := Rank(context.Background(), cases, constantScorer, cfg)
		if err != nil {
			t.Fatal(err)
		}
		ranks := make([]int, len(res.Cases))
		for i, c := range res.Cases {
			ranks[i] = c.Rank
		}
		return ranks
	}
	first, again, other := rank(1), rank(1), rank(2)
	if !slices.Equal(first, again) {
		t.Error("seed 1 gave different ranks on a second run")
	}
	// Under a constant scorer two seeds give a case the same rank with probability 1/100, so
	// about 990 of 1000 ranks should differ; 900 is over 9 standard deviations below that.
	differ := 0
	for i := range first {
		if first[i] != other[i] {
			differ++
		}
	}
	if differ < 900 {
		t.Errorf("seeds 1 and 2 differ on %d of 1000 ranks, want at least 900", differ)
	}
}

func TestRankScorerSeesPermutation(t *testing.T) {
	cases := makeCases(datasets.Rec, 0, 50, 100)
	for _, order := range []CandidateOrder{Shuffled, InputOrder} {
		moved := 0
		scorer := ScorerFunc(func(batch []Case, scores [][]float32) error {
			for i, c := range batch {
				original := cases[c.ID].Candidates
				if !sameItems(c.Candidates, original) {
					t.Errorf("%s: case %d candidates are not a permutation of the stored ones", order, c.ID)
				}
				if c.Candidates[0] != original[0] {
					moved++
				}
				for j := range scores[i] {
					scores[i][j] = 0
				}
			}
			return nil
		})
		cfg := quietConfig()
		cfg.Order = order
		if _, err := Rank(context.Background(), cases, scorer, cfg); err != nil {
			t.Fatal(err)
		}
		if order == InputOrder && moved != 0 {
			t.Errorf("input order moved the positive in %d cases, want 0", moved)
		}
		// The positive stays at index 0 with probability 1/100 per case.
		if order == Shuffled && moved < 40 {
			t.Errorf("shuffled order moved the positive in %d of 50 cases, want at least 40", moved)
		}
	}
}

func sameItems(a, b []int32) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestRankValues(t *testing.T) {
	cases := append(makeCases(datasets.Rec, 0, 2, 100), makeCases(datasets.Search, 0, 1, 100)...)
	ranks := map[caseKey]int{{datasets.Rec, 0}: 3, {datasets.Rec, 1}: 0, {datasets.Search, 0}: 7}
	res, err := Rank(context.Background(), cases, rankScorer(ranks), quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	got, err := res.Values(Metric{NDCG, 10}, ScopeRec, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{discount3, discount0}; !slices.Equal(got, want) {
		t.Errorf("rec ndcg@10 values = %v, want %v", got, want)
	}
	got, err = res.Values(Metric{HR, 5}, ScopeOverall, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("overall hr@5 values = %v, want %v", got, want)
	}
	if _, err := res.Values(Metric{HR, 5}, "all", false); err == nil {
		t.Error("Values accepted scope \"all\"")
	}
}
