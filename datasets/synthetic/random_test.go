package synthetic

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSampleCumulative draws 40,000 times from weights 1, 0, 3: index 1 must never come up and
// index 2 with probability 0.75 (standard deviation of the share about 0.0022; 5 are allowed).
func TestSampleCumulative(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cum := []float64{1, 1, 4}
	var counts [3]int
	const draws = 40000
	for range draws {
		counts[sampleCumulative(rng, cum)]++
	}
	if counts[1] != 0 {
		t.Errorf("zero-weight index drawn %d times", counts[1])
	}
	if share := float64(counts[2]) / draws; math.Abs(share-0.75) > 5*0.0022 {
		t.Errorf("index 2 share %.4f, want 0.75", share)
	}
}

// TestGeometricMean checks the drift interval's mean: 20,000 draws with mean 6 have a standard
// error of about 0.04; 0.2 is allowed.
func TestGeometricMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	sum := 0
	const draws = 20000
	for range draws {
		n := geometric(rng, 6)
		if n < 1 {
			t.Fatalf("geometric drew %d, want at least 1", n)
		}
		sum += n
	}
	if mean := float64(sum) / draws; math.Abs(mean-6) > 0.2 {
		t.Errorf("mean %.3f, want 6", mean)
	}
}
