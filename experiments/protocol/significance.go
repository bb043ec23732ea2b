package protocol

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is the outcome of a two-sided paired t-test.
type TTest struct {
	// N is the number of pairs.
	N int
	// MeanDifference is the mean of a[i]-b[i].
	MeanDifference float64
	// T is the t statistic, MeanDifference divided by its standard error.
	T float64
	// DF is the degrees of freedom, N-1.
	DF float64
	// PValue is the two-sided p-value from Student's t distribution with DF degrees of freedom.
	PValue float64
}

// PairedTTest tests whether the mean of a[i]-b[i] is zero. It fails when the slices differ in
// length, hold fewer than 2 pairs, or contain NaN or infinite values. When every difference is
// the same, the standard error is 0: T is 0 with PValue 1 if that difference is 0, and ±Inf with
// PValue 0 otherwise.
func PairedTTest(a, b []float64) (TTest, error) {
	d, err := differences(a, b)
	if err != nil {
		return TTest{}, err
	}
	n := float64(len(d))
	mean := 0.0
	for _, v := range d {
		mean += v
	}
	mean /= n
	squares := 0.0
	for _, v := range d {
		squares += (v - mean) * (v - mean)
	}
	stdErr := math.Sqrt(squares / (n - 1) / n)

	res := TTest{N: len(d), MeanDifference: mean, DF: n - 1}
	switch {
	case stdErr == 0 && mean == 0:
		res.T, res.PValue = 0, 1
	case stdErr == 0:
		res.T, res.PValue = math.Copysign(math.Inf(1), mean), 0
	default:
		res.T = mean / stdErr
		student := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: res.DF}
		res.PValue = min(1, 2*student.Survival(math.Abs(res.T)))
	}
	return res, nil
}

// WilcoxonTest is the outcome of a two-sided Wilcoxon signed-rank test.
type WilcoxonTest struct {
	// N is the number of nonzero differences, the pairs the test ranks.
	N int
	// Zeros is the number of pairs with a[i] == b[i], left out of the ranking.
	Zeros int
	// WPlus and WMinus are the rank sums of the positive and negative differences.
	WPlus, WMinus float64
	// Z is the normal approximation of WPlus, with the tie correction and, if asked for, the
	// continuity correction.
	Z float64
	// PValue is the two-sided p-value of Z under the standard normal distribution.
	PValue float64
}

// WilcoxonSignedRank tests whether a[i]-b[i] is symmetric about zero, by the normal
// approximation of the signed-rank statistic.
//
// Zero differences are dropped before ranking (Wilcoxon's method). Equal absolute differences
// share their average rank, and each group of t equal values lowers the variance
// n(n+1)(2n+1)/24 by (t^3-t)/48. With continuity set, WPlus moves 0.5 toward its mean before
// scaling. The results match SciPy 1.10's wilcoxon with method="approx" and correction set to
// continuity. Per-case metrics of two models usually hold many zero and tied differences,
// which is why both corrections matter here. When every difference is zero, the result has N 0,
// Z 0 and PValue 1. It fails when the slices differ in length, hold fewer than 2 pairs, or contain
// NaN or infinite values.
func WilcoxonSignedRank(a, b []float64, continuity bool) (WilcoxonTest, error) {
	d, err := differences(a, b)
	if err != nil {
		return WilcoxonTest{}, err
	}
	nonzero := make([]float64, 0, len(d))
	for _, v := range d {
		if v != 0 {
			nonzero = append(nonzero, v)
		}
	}
	res := WilcoxonTest{N: len(nonzero), Zeros: len(d) - len(nonzero)}
	if res.N == 0 {
		res.PValue = 1
		return res, nil
	}

	ranks, tieTerm := signedRanks(nonzero)
	for i, v := range nonzero {
		if v > 0 {
			res.WPlus += ranks[i]
		} else {
			res.WMinus += ranks[i]
		}
	}
	n := float64(res.N)
	mean := n * (n + 1) / 4
	variance := n*(n+1)*(2*n+1)/24 - tieTerm/48
	deviation := res.WPlus - mean
	if continuity && deviation != 0 {
		deviation -= math.Copysign(0.5, deviation)
	}
	if variance > 0 {
		res.Z = deviation / math.Sqrt(variance)
	}
	res.PValue = min(1, 2*distuv.UnitNormal.Survival(math.Abs(res.Z)))
	return res, nil
}

// signedRanks returns the rank of each |d[i]| (1-based, ties sharing their average rank) and the
// tie term, the sum of t^3-t over the groups of t equal absolute values.
func signedRanks(d []float64) (ranks []float64, tieTerm float64) {
	order := make([]int, len(d))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return math.Abs(d[order[i]]) < math.Abs(d[order[j]])
	})
	ranks = make([]float64, len(d))
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && math.Abs(d[order[hi]]) == math.Abs(d[order[lo]]) {
			hi++
		}
		average := float64(lo+hi+1) / 2 // mean of the 1-based ranks lo+1 .. hi
		for _, idx := range order[lo:hi] {
			ranks[idx] = average
		}
		t := float64(hi - lo)
		tieTerm += t*t*t - t
		lo = hi
	}
	return ranks, tieTerm
}

// differences returns a[i]-b[i] after checking the inputs.
func differences(a, b []float64) ([]float64, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("protocol: paired test: %d values in a but %d in b; pass one value per case for each model", len(a), len(b))
	}
	if len(a) < 2 {
		return nil, fmt.Errorf("protocol: paired test: %d pairs; at least 2 are needed", len(a))
	}
	d := make([]float64, len(a))
	for i := range a {
		if math.IsNaN(a[i]) || math.IsInf(a[i], 0) || math.IsNaN(b[i]) || math.IsInf(b[i], 0) {
			return nil, fmt.Errorf("protocol: paired test: pair %d is (%v, %v); values must be finite", i, a[i], b[i])
		}
		d[i] = a[i] - b[i]
	}
	return d, nil
}
