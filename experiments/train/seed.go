package train

// Stream labels keep the random streams derived from one seed apart.
const (
	streamOrderRec    = 1
	streamOrderSearch = 2
	streamDropout     = 3
)

// deriveSeed mixes a seed with a stream label and indices (epoch, step, worker) into a new
// seed with SplitMix64's finalizer, so that neighbouring indices give unrelated streams.
func deriveSeed(seed uint64, parts ...uint64) uint64 {
	h := mix64(seed ^ 0x6a09e667f3bcc908)
	for _, p := range parts {
		h = mix64(h ^ mix64(p+0x9e3779b97f4a7c15))
	}
	return h
}

// mix64 is the output function of SplitMix64 (Steele, Lea and Flood, 2014).
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
