package reports

import (
	"math"

	"github.com/srbench/srbench/experiments/protocol"
)

// Stat summarizes one metric over the seeds of a group.
type Stat struct {
	// Mean is the mean over seeds of the per-seed test metric.
	Mean float64
	// Std is the sample standard deviation over seeds (divisor N-1), 0 when N is 1.
	Std float64
	// N is the number of seeds that have the metric.
	N int
}

// Stat returns the test metric m of scope averaged over the group's seeds, from each run's
// summary of randomized-tie metrics (the paper's protocol). Runs without the scope or metric
// do not count. ok is false when no run has it.
func (g *Group) Stat(scope string, m protocol.Metric) (s Stat, ok bool) {
	var values []float64
	for _, r := range g.Runs {
		summary, found := r.Train.Test.Scopes[scope]
		if !found {
			continue
		}
		v, found := summary.Randomized[m.String()]
		if !found {
			continue
		}
		values = append(values, v)
	}
	if len(values) == 0 {
		return Stat{}, false
	}
	return MeanStd(values), true
}

// MeanStd returns the mean and sample standard deviation of values, which must not be empty.
func MeanStd(values []float64) Stat {
	n := float64(len(values))
	mean := 0.0
	for _, v := range values {
		mean += v
	}
	mean /= n
	s := Stat{Mean: mean, N: len(values)}
	if len(values) < 2 {
		return s
	}
	squares := 0.0
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	s.Std = math.Sqrt(squares / (n - 1))
	return s
}
