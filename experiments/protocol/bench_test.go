package protocol

import (
	"context"
	"fmt"
	"testing"

	"github.com/srbench/srbench/datasets"
)

// BenchmarkRank ranks 100,000 cases of 100 candidates with a scorer that only reads item ids,
// so the figure is the protocol's own cost: shuffling, NaN filling, ranking and summarizing.
func BenchmarkRank(b *testing.B) {
	const n = 100000
	cases := append(makeCases(datasets.Rec, 0, n*9/10, 100), makeCases(datasets.Search, 0, n/10, 100)...)
	// 256 score levels, so most positives tie a few candidates.
	scorer := ScorerFunc(func(batch []Case, scores [][]float32) error {
		for i, c := range batch {
			row := scores[i]
			for j, item := range c.Candidates {
				row[j] = float32(item & 255)
			}
		}
		return nil
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := quietConfig()
			cfg.Workers = workers
			for b.Loop() {
				if _, err := Rank(context.Background(), cases, scorer, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/case")
		})
	}
}
