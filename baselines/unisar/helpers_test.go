package unisar

import (
	"strconv"
	"testing"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/experiments/train"
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
