package reports

import (
	"fmt"

	"github.com/srbench/srbench/experiments/protocol"
)

// SignificanceTest names the test Compare runs, for captions.
const SignificanceTest = "two-sided Wilcoxon signed-rank test (normal approximation with tie and continuity corrections) over per-case test values, paired by seed and test case"

// Compare tests whether a and b differ on metric m of scope. It pairs the randomized per-case
// test values of the runs the two groups share a seed with (the same seed ranks the same
// cases against the same candidates), pools the pairs of all shared seeds and runs the
// Wilcoxon signed-rank test with the continuity correction. It fails when the groups share no
// seed, when the cases of a shared seed differ, or when fewer than 2 pairs result.
func Compare(a, b *Group, scope string, m protocol.Metric) (protocol.WilcoxonTest, error) {
	var x, y []float64
	shared := 0
	j := 0
	for _, ra := range a.Runs {
		for j < len(b.Runs) && b.Runs[j].Seed < ra.Seed {
			j++
		}
		if j == len(b.Runs) || b.Runs[j].Seed != ra.Seed {
			continue
		}
		rb := b.Runs[j]
		xs, ys, err := protocol.PairedValues(ra.Train.Test, rb.Train.Test, m, scope, false)
		if err != nil {
			return protocol.WilcoxonTest{}, fmt.Errorf("reports: comparing %s with %s at seed %d: %w", a, b, ra.Seed, err)
		}
		x = append(x, xs...)
		y = append(y, ys...)
		shared++
	}
	if shared == 0 {
		return protocol.WilcoxonTest{}, fmt.Errorf("reports: comparing %s (seeds %v) with %s (seeds %v): no shared seed; run both with the same seeds",
			a, a.Seeds(), b, b.Seeds())
	}
	res, err := protocol.WilcoxonSignedRank(x, y, true)
	if err != nil {
		return protocol.WilcoxonTest{}, fmt.Errorf("reports: comparing %s with %s on %s %s: %w", a, b, scope, m, err)
	}
	return res, nil
}
