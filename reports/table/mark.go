package table

import (
	"fmt"
	"log/slog"
	"math"
	"slices"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
)

// column locates one column for marking: its scope and metric.
type column struct {
	scope  string
	metric protocol.Metric
}

// markColumn sets Mark, Significant and PValue on the cells of one column of one row group
// and returns notes for comparisons that could not be tested.
func markColumn(cells []*Cell, col column, opts Options) []string {
	scale := math.Pow(10, float64(opts.Digits))
	var printed []float64
	for _, c := range cells {
		if c.Present {
			printed = append(printed, math.Round(c.Mean*scale))
		}
	}
	slices.Sort(printed)
	printed = slices.Compact(printed)
	slices.Reverse(printed)
	if len(printed) == 0 {
		return nil
	}
	var best, second []*Cell
	for _, c := range cells {
		if !c.Present {
			continue
		}
		switch math.Round(c.Mean * scale) {
		case printed[0]:
			c.Mark = Best
			best = append(best, c)
		case at(printed, 1):
			c.Mark = Second
			second = append(second, c)
		}
	}
	if len(best) != 1 || len(second) == 0 {
		return nil
	}
	return testBest(best[0], second, col, opts)
}

// at returns values[i], or NaN when i is out of range, which equals no value.
func at(values []float64, i int) float64 {
	if i < len(values) {
		return values[i]
	}
	return math.NaN()
}

// testBest compares the best cell with every second-best cell and stars it when all tests
// reject at opts.Alpha.
func testBest(best *Cell, second []*Cell, col column, opts Options) []string {
	significant := true
	for _, s := range second {
		res, err := reports.Compare(best.group, s.group, col.scope, col.metric)
		if err != nil {
			slog.Warn("significance not tested", "best", best.group, "second", s.group, "scope", col.scope, "metric", col.metric, "err", err)
			return []string{fmt.Sprintf("No star for %s %s: %v", col.scope, col.metric, err)}
		}
		best.PValue = max(best.PValue, res.PValue)
		if res.PValue >= opts.Alpha || res.WPlus <= res.WMinus {
			significant = false
		}
	}
	best.Significant = significant
	return nil
}
