package synthetic

import (
	"math"
	"math/rand/v2"
)

// mix64 is the SplitMix64 finaliser: it turns consecutive integers into well-spread stream ids
// for rand.NewPCG.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// userRand returns the random source of user u, independent of every other user's, so that users
// can be generated in any order and on any number of workers with the same result.
func userRand(seed uint64, u int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, mix64(uint64(u)+1)))
}

// gamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000), with
// the U^(1/shape) boost for shape < 1.
func gamma(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// dirichletCumulative draws a symmetric Dirichlet(alpha) vector of length n into dst as
// cumulative sums, ready for sampleCumulative.
func dirichletCumulative(rng *rand.Rand, alpha float64, dst []float64) {
	sum := 0.0
	for i := range dst {
		sum += gamma(rng, alpha)
		dst[i] = sum
	}
	if sum == 0 { // every draw underflowed: fall back to uniform
		for i := range dst {
			dst[i] = float64(i + 1)
		}
	}
}

// sampleCumulative returns an index drawn with the weights whose running sums are cum: index i
// owns [cum[i-1], cum[i]), so the result is the first i with cum[i] > x.
func sampleCumulative(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1 // the result lies in [lo, hi] because x < total = cum[hi]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// zipfCumulative returns the running sums of r^-exponent for ranks r = 1..n.
func zipfCumulative(n int, exponent float64) []float64 {
	cum := make([]float64, n)
	sum := 0.0
	for r := range n {
		sum += math.Pow(float64(r+1), -exponent)
		cum[r] = sum
	}
	return cum
}

// geometric returns the number of trials up to and including the first success when each trial
// succeeds with probability 1/mean; mean >= 1.
func geometric(rng *rand.Rand, mean float64) int {
	if mean <= 1 {
		return 1
	}
	u := 1 - rng.Float64() // in (0,1], so the log is finite
	return 1 + int(math.Log(u)/math.Log1p(-1/mean))
}

// poisson draws a Poisson(mean) count by Knuth's product method, fine for the small means used
// for clicks per session.
func poisson(rng *rand.Rand, mean float64) int {
	limit := math.Exp(-mean)
	k, p := 0, rng.Float64()
	for p > limit {
		k++
		p *= rng.Float64()
	}
	return k
}
