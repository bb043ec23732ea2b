package nn

import (
	"math"
	"testing"
)

// ulps returns the distance in float32 units in the last place between got and the float64
// value want rounded to float32.
func ulps(got float32, want float64) float64 {
	w := float32(want)
	if got == w {
		return 0
	}
	d := math.Abs(float64(got) - float64(w))
	ulp := float64(math.Nextafter32(float32(math.Abs(float64(w))), float32(math.Inf(1)))) - math.Abs(float64(w))
	return d / ulp
}

// TestFastMath compares exp32, tanh32 and sigmoid32 with the float64 functions of package math
// on a dense grid and at the edges of their ranges.
func TestFastMath(t *testing.T) {
	cases := []struct {
		name    string
		f       func(float32) float32
		ref     func(float64) float64
		lo, hi  float32
		maxULPs float64
	}{
		{"exp32", exp32, math.Exp, -87.2, 88.2, 2},
		{"tanh32", tanh32, math.Tanh, -12, 12, 2},
		{"sigmoid32", sigmoid32, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, -80, 30, 2},
	}
	for _, c := range cases {
		worst, at := 0.0, float32(0)
		const n = 200_000
		for i := 0; i <= n; i++ {
			x := c.lo + (c.hi-c.lo)*float32(i)/n
			if u := ulps(c.f(x), c.ref(float64(x))); u > worst {
				worst, at = u, x
			}
		}
		for _, x := range []float32{0, 1e-8, -1e-8, tanhSmall, -tanhSmall, math.Nextafter32(tanhSmall, 0), 1e-3} {
			if u := ulps(c.f(x), c.ref(float64(x))); u > worst {
				worst, at = u, x
			}
		}
		t.Logf("%s: at most %.2f ulps from float64 (at x = %g)", c.name, worst, at)
		if worst > c.maxULPs {
			t.Errorf("%s: %.1f ulps from float64 at x = %g, want at most %g", c.name, worst, at, c.maxULPs)
		}
	}
	edges := []struct {
		name      string
		got, want float32
	}{
		{"exp32(-200)", exp32(-200), 0},
		{"exp32(200)", exp32(200), float32(math.Inf(1))},
		{"tanh32(50)", tanh32(50), 1},
		{"tanh32(-50)", tanh32(-50), -1},
		{"sigmoid32(-200)", sigmoid32(-200), 0},
		{"sigmoid32(200)", sigmoid32(200), 1},
	}
	for _, e := range edges {
		if e.got != e.want {
			t.Errorf("%s = %g, want %g", e.name, e.got, e.want)
		}
	}
	nan := float32(math.NaN())
	for name, f := range map[string]func(float32) float32{"exp32": exp32, "tanh32": tanh32, "sigmoid32": sigmoid32} {
		if v := f(nan); !math.IsNaN(float64(v)) {
			t.Errorf("%s(NaN) = %g, want NaN", name, v)
		}
	}
}
