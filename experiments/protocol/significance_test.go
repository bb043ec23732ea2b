package protocol

import (
	"context"
	"math"
	"testing"

	"github.com/srbench/srbench/datasets"
)

// Student's sleep data: the hours of extra sleep of 10 patients under two drugs (Cushny and
// Peebles), the classic paired-test example.
var (
	sleepDrug1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleepDrug2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

// Differences x2-x1 of 15, -7, 5, 20, 0, -9, 17, -12, 5 and -10: one zero and one tied pair.
var (
	wilcoxonX1 = []float64{110, 122, 125, 120, 140, 124, 123, 137, 135, 145}
	wilcoxonX2 = []float64{125, 115, 130, 140, 140, 115, 140, 125, 140, 135}
)

// pTolerance bounds the difference from SciPy's p-values, which come from other
// implementations of the t and normal tail functions.
const pTolerance = 1e-9

func TestPairedTTestSleep(t *testing.T) {
	got, err := PairedTTest(sleepDrug1, sleepDrug2)
	if err != nil {
		t.Fatal(err)
	}
	// SciPy 1.10.1: scipy.stats.ttest_rel(drug1, drug2) gives
	// statistic=-4.062127683382037, pvalue=0.00283289019738427, df=9.
	if math.Abs(got.T-(-4.062127683382037)) > pTolerance {
		t.Errorf("t = %.15g, want -4.062127683382037", got.T)
	}
	if math.Abs(got.PValue-0.00283289019738427) > pTolerance {
		t.Errorf("p = %.15g, want 0.00283289019738427", got.PValue)
	}
	if got.N != 10 || got.DF != 9 {
		t.Errorf("N = %d, DF = %v; want 10, 9", got.N, got.DF)
	}
	if math.Abs(got.MeanDifference-(-1.58)) > 1e-12 {
		t.Errorf("mean difference = %v, want -1.58", got.MeanDifference)
	}
}

func TestWilcoxonTextbook(t *testing.T) {
	tests := []struct {
		name          string
		a, b          []float64
		continuity    bool
		n, zeros      int
		wPlus, wMinus float64
		p             float64
	}{
		// p-values from SciPy 1.10.1: scipy.stats.wilcoxon(a, b, zero_method="wilcox",
		// correction=continuity, method="approx"). The rank sums are hand-computed: all 9 nonzero
		// sleep differences are negative, so W- = 1+...+9 = 45.
		{"sleep", sleepDrug1, sleepDrug2, false, 9, 1, 0, 45, 0.007632441648205508},
		{"sleep continuity", sleepDrug1, sleepDrug2, true, 9, 1, 0, 45, 0.009090698015925054},
		// |d| sorted: 5, 5, 7, 9, 10, 12, 15, 17, 20 with ranks 1.5, 1.5, 3, ..., 9, so
		// W+ = 7 + 1.5 + 9 + 8 + 1.5 = 27 and W- = 3 + 4 + 6 + 5 = 18.
		{"x2-x1", wilcoxonX2, wilcoxonX1, false, 9, 1, 27, 18, 0.5936305914425295},
		{"x2-x1 continuity", wilcoxonX2, wilcoxonX1, true, 9, 1, 27, 18, 0.6352893188352069},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WilcoxonSignedRank(tt.a, tt.b, tt.continuity)
			if err != nil {
				t.Fatal(err)
			}
			if got.N != tt.n || got.Zeros != tt.zeros {
				t.Errorf("N = %d, zeros = %d; want %d, %d", got.N, got.Zeros, tt.n, tt.zeros)
			}
			if got.WPlus != tt.wPlus || got.WMinus != tt.wMinus {
				t.Errorf("W+ = %v, W- = %v; want %v, %v", got.WPlus, got.WMinus, tt.wPlus, tt.wMinus)
			}
			if math.Abs(got.PValue-tt.p) > pTolerance {
				t.Errorf("p = %.15g, want %.15g (tolerance %g)", got.PValue, tt.p, pTolerance)
			}
		})
	}
}

func TestWilcoxonHandZ(t *testing.T) {
	// d = 1, 1, -2, 3: ranks 1.5, 1.5, 3, 4, so W+ = 7. Mean n(n+1)/4 = 5; variance
	// 4*5*9/24 - (2^3-2)/48 = 7.5 - 0.125 = 7.375.
	got, err := WilcoxonSignedRank([]float64{1, 1, 0, 3}, []float64{0, 0, 2, 0}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 / math.Sqrt(7.375); math.Abs(got.Z-want) > 1e-15 {
		t.Errorf("z = %.17g, want 2/sqrt(7.375) = %.17g", got.Z, want)
	}
	corrected, err := WilcoxonSignedRank([]float64{1, 1, 0, 3}, []float64{0, 0, 2, 0}, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1.5 / math.Sqrt(7.375); math.Abs(corrected.Z-want) > 1e-15 {
		t.Errorf("corrected z = %.17g, want 1.5/sqrt(7.375) = %.17g", corrected.Z, want)
	}
}

func TestPairedTestsDegenerate(t *testing.T) {
	same := []float64{0.5, 1, 0, 0.25}
	tt, err := PairedTTest(same, same)
	if err != nil {
		t.Fatal(err)
	}
	if tt.T != 0 || tt.PValue != 1 {
		t.Errorf("t-test of equal values: t = %v, p = %v; want 0, 1", tt.T, tt.PValue)
	}
	w, err := WilcoxonSignedRank(same, same, true)
	if err != nil {
		t.Fatal(err)
	}
	if w.N != 0 || w.Zeros != 4 || w.PValue != 1 {
		t.Errorf("Wilcoxon of equal values: N = %d, zeros = %d, p = %v; want 0, 4, 1", w.N, w.Zeros, w.PValue)
	}
	shifted, err := PairedTTest([]float64{2, 3, 4}, []float64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(shifted.T, 1) || shifted.PValue != 0 {
		t.Errorf("t-test of a constant shift: t = %v, p = %v; want +Inf, 0", shifted.T, shifted.PValue)
	}
}

func TestPairedTestsReject(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
	}{
		{"length", []float64{1, 2, 3}, []float64{1, 2}},
		{"one pair", []float64{1}, []float64{2}},
		{"nan", []float64{1, math.NaN()}, []float64{2, 3}},
		{"inf", []float64{1, 2}, []float64{math.Inf(-1), 3}},
	}
	for _, tt := range tests {
		if _, err := PairedTTest(tt.a, tt.b); err == nil {
			t.Errorf("%s: PairedTTest succeeded, want an error", tt.name)
		}
		if _, err := WilcoxonSignedRank(tt.a, tt.b, false); err == nil {
			t.Errorf("%s: WilcoxonSignedRank succeeded, want an error", tt.name)
		}
	}
}

func TestPairedValues(t *testing.T) {
	cases := append(makeCases(datasets.Rec, 0, 3, 100), makeCases(datasets.Search, 0, 2, 100)...)
	ranksA := map[caseKey]int{{datasets.Rec, 0}: 0, {datasets.Rec, 1}: 3, {datasets.Rec, 2}: 7,
		{datasets.Search, 0}: 0, {datasets.Search, 1}: 1}
	ranksB := map[caseKey]int{{datasets.Rec, 0}: 7, {datasets.Rec, 1}: 0, {datasets.Rec, 2}: 3,
		{datasets.Search, 0}: 0, {datasets.Search, 1}: 0}
	a, err := Rank(context.Background(), cases, rankScorer(ranksA), quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	// b holds the same cases in reverse order; pairing must follow the case key.
	reversed := make([]Case, len(cases))
	for i, c := range cases {
		reversed[len(cases)-1-i] = c
	}
	b, err := Rank(context.Background(), reversed, rankScorer(ranksB), quietConfig())
	if err != nil {
		t.Fatal(err)
	}

	x, y, err := PairedValues(a, b, Metric{HR, 5}, ScopeRec, false)
	if err != nil {
		t.Fatal(err)
	}
	wantX, wantY := []float64{1, 1, 0}, []float64{0, 1, 1}
	for i := range wantX {
		if x[i] != wantX[i] || y[i] != wantY[i] {
			t.Errorf("pair %d = (%v, %v), want (%v, %v)", i, x[i], y[i], wantX[i], wantY[i])
		}
	}
	if x, _, _ := PairedValues(a, b, Metric{HR, 1}, ScopeOverall, true); len(x) != 5 {
		t.Errorf("overall pairs = %d, want 5", len(x))
	}

	fewer, err := Rank(context.Background(), cases[:4], constantScorer, quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := PairedValues(a, fewer, Metric{HR, 1}, ScopeSearch, false); err == nil {
		t.Error("pairing with a result missing search case 1 succeeded")
	}
	if _, _, err := PairedValues(fewer, a, Metric{HR, 1}, ScopeOverall, false); err == nil {
		t.Error("pairing with a result holding an extra case succeeded")
	}
	if _, _, err := PairedValues(a, b, Metric{HR, 1}, "both", false); err == nil {
		t.Error("pairing in scope \"both\" succeeded")
	}
}
