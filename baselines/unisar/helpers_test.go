package unisar

import (
	"math"
	"strconv"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/nn"
)

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("invalid integer %q: %v", s, err)
	}
	return n
}

// compareWithPopularity logs the test metrics and the mean epoch time of res, and fails unless
// its test NDCG@5 and HR@10 beat the popularity ranker's on both tasks.
func compareWithPopularity(t *testing.T, res, popRes *train.Result) {
	t.Helper()
	seconds, steps := 0.0, 0
	for _, e := range res.Epochs {
		seconds += e.Seconds
		steps += e.Steps
	}
	t.Logf("%d epochs (best %d), %.1f s per epoch with validation, %d steps per epoch, %d parameters, backend %s, peak RSS %d MB",
		len(res.Epochs), res.BestEpoch, seconds/float64(len(res.Epochs)), steps/len(res.Epochs), res.Params, res.Backend, res.PeakRSSBytes>>20)
	for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
		got, base := res.Test.Scopes[scope].Randomized, popRes.Test.Scopes[scope].Randomized
		t.Logf("%s test: NDCG@5 %.4f HR@10 %.4f HR@1 %.4f; popularity NDCG@5 %.4f HR@10 %.4f HR@1 %.4f",
			scope, got["ndcg@5"], got["hr@10"], got["hr@1"], base["ndcg@5"], base["hr@10"], base["hr@1"])
		for _, metric := range []string{"ndcg@5", "hr@10"} {
			if !(got[metric] > base[metric]) {
				t.Errorf("%s test %s = %.4f does not beat the popularity ranker's %.4f", scope, metric, got[metric], base[metric])
			}
		}
	}
}

// checkScoreIndependent scores three recommendation and three search validation cases with
// their 100 candidates in one batch and then each case alone, and fails when a score differs
// by more than 1e-5. NOTE: the tolerance is not 0 because the engine picks its A·Bᵀ kernel by
// the product's row count, so a row's last bits depend on the size of its batch.
func checkScoreIndependent(t *testing.T, data *prep.Prepared, score func(*nn.Tape, *prep.Batch, [][]int32, [][]float32) error) {
	t.Helper()
	var samples []prep.Sample
	var kinds []datasets.Kind
	var candidates [][]int32
	for _, k := range []datasets.Kind{datasets.Search, datasets.Rec} {
		for i := range 3 {
			samples = append(samples, data.Tasks[k].Valid[i])
			kinds = append(kinds, k)
			candidates = append(candidates, data.Candidates(k, prep.Valid, i))
		}
	}
	together := make([][]float32, len(samples))
	for i := range together {
		together[i] = make([]float32, len(candidates[i]))
	}
	if err := score(nn.NewTape(1), prep.NewBatchBuilder(data, len(samples)).Build(samples, nil), candidates, together); err != nil {
		t.Fatal(err)
	}
	for i := range samples {
		alone := [][]float32{make([]float32, len(candidates[i]))}
		batch := prep.NewBatchBuilder(data, 1).Build(samples[i:i+1], nil)
		if err := score(nn.NewTape(1), batch, candidates[i:i+1], alone); err != nil {
			t.Fatal(err)
		}
		for c, v := range alone[0] {
			if math.Abs(float64(v-together[i][c])) > 1e-5 {
				t.Errorf("case %d (%s) candidate %d: %v alone, %v in the batch", i, kinds[i], c, v, together[i][c])
				break
			}
		}
	}
}
