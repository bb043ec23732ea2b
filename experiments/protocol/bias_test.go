package protocol

import (
	"context"
	"math"
	"testing"

	"github.com/srbench/srbench/datasets"
	"gonum.org/v1/gonum/stat/distuv"
)

// biasCases is the number of cases in the tie-bias tests. Under a constant scorer the positive's
// rank is uniform over 0..99, so the randomized HR@1 is a binomial proportion with p = 0.01 and
// standard deviation sqrt(0.01*0.99/20000) ≈ 7.0e-4.
const biasCases = 20000

func rankConstant(t *testing.T, order CandidateOrder) *Result {
	t.Helper()
	cases := append(makeCases(datasets.Rec, 0, biasCases/2, 100), makeCases(datasets.Search, 0, biasCases/2, 100)...)
	cfg := quietConfig()
	cfg.Seed = 7
	cfg.Order = order
	res, err := Rank(context.Background(), cases, constantScorer, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTieBiasInputOrder(t *testing.T) {
	s := rankConstant(t, InputOrder).Scopes[ScopeOverall]
	// The positive wins all 99 ties, so every metric is perfect.
	for _, m := range DefaultMetrics() {
		if got := s.Randomized[m.String()]; got != 1 {
			t.Errorf("input order %s = %v, want 1", m, got)
		}
	}
	if s.TiedCases != biasCases {
		t.Errorf("tied cases = %d, want %d", s.TiedCases, biasCases)
	}
}

func TestTieBiasShuffled(t *testing.T) {
	res := rankConstant(t, Shuffled)
	s := res.Scopes[ScopeOverall]

	// 4 standard deviations: a false failure has probability about 6e-5 for a random seed.
	const p = 0.01
	sd := math.Sqrt(p * (1 - p) / biasCases)
	if got := s.Randomized["hr@1"]; math.Abs(got-p) > 4*sd {
		t.Errorf("shuffled hr@1 = %v, want %v ± %.2g (4 binomial standard deviations)", got, p, 4*sd)
	}

	// A rank uniform over 0..99 has mean 49.5 and variance (100^2-1)/12.
	meanRank := 0.0
	for _, c := range res.Cases {
		meanRank += float64(c.Rank)
	}
	meanRank /= biasCases
	rankSD := math.Sqrt((100*100 - 1) / 12.0 / biasCases)
	if math.Abs(meanRank-49.5) > 4*rankSD {
		t.Errorf("mean rank = %v, want 49.5 ± %.2g (4 standard deviations)", meanRank, 4*rankSD)
	}
}

func TestTieBiasAveraged(t *testing.T) {
	// The tie-averaged metrics do not depend on the order: HR@1 is 1/100 for every case.
	for _, order := range []CandidateOrder{InputOrder, Shuffled} {
		s := rankConstant(t, order).Scopes[ScopeOverall]
		if got := s.TieAveraged["hr@1"]; !near(got, 0.01) {
			t.Errorf("%s tie-averaged hr@1 = %.17g, want 0.01 (tolerance %g)", order, got, tolerance)
		}
		if got := s.TieAveraged["ndcg@10"]; !near(got, 0.04543559338088346) {
			t.Errorf("%s tie-averaged ndcg@10 = %.17g, want sum of 1/log2(r+2) for r < 10, over 100", order, got)
		}
	}
}

func TestShufflePositionUniform(t *testing.T) {
	const n, width = biasCases, 100
	cases := makeCases(datasets.Rec, 0, n, width)
	counts := make([]float64, width)
	scorer := ScorerFunc(func(batch []Case, scores [][]float32) error {
		for i, c := range batch {
			for j, item := range c.Candidates {
				if originalIndex(item) == 0 {
					counts[j]++
				}
				scores[i][j] = 0
			}
		}
		return nil
	})
	if _, err := Rank(context.Background(), cases, scorer, quietConfig()); err != nil {
		t.Fatal(err)
	}
	expected := float64(n) / width
	chiSquare := 0.0
	for _, c := range counts {
		chiSquare += (c - expected) * (c - expected) / expected
	}
	// The 0.999 quantile of the chi-square distribution with 99 degrees of freedom.
	critical := distuv.ChiSquared{K: width - 1}.Quantile(0.999)
	if chiSquare > critical {
		t.Errorf("positive position chi-square = %.1f over %d positions, above the 0.999 quantile %.1f", chiSquare, width, critical)
	}
}

func TestShuffleBelowUniform(t *testing.T) {
	// below(3) takes Lemire's rejection path for some draws; each value should have a third.
	stream := newCaseStream(3, datasets.Search, 11)
	const draws = 30000
	var counts [3]float64
	for range draws {
		v := stream.below(3)
		if v >= 3 {
			t.Fatalf("below(3) = %d", v)
		}
		counts[v]++
	}
	chiSquare := 0.0
	for _, c := range counts {
		chiSquare += (c - draws/3.0) * (c - draws/3.0) / (draws / 3.0)
	}
	if critical := (distuv.ChiSquared{K: 2}).Quantile(0.999); chiSquare > critical {
		t.Errorf("below(3) counts %v: chi-square %.1f above the 0.999 quantile %.1f", counts, chiSquare, critical)
	}
}
