package protocol

import (
	"math/bits"

	"github.com/srbench/srbench/datasets"
)

// caseStream is a SplitMix64 generator whose state is derived from (seed, task, id) alone. The algorithm is written out here, not taken from
// math/rand, so a given seed keeps giving the same shuffles under any Go version.
type caseStream struct {
	state uint64
}

// golden is 2^64 divided by the golden ratio, the SplitMix64 increment.
const golden = 0x9e3779b97f4a7c15

// mix64 is the SplitMix64 output function, a bijection on uint64 that spreads every input bit
// over the whole word.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// newCaseStream derives the stream of one case. Chaining mix64 over the three keys makes
// streams of nearby ids unrelated.
func newCaseStream(seed uint64, task datasets.Kind, id int64) caseStream {
	s := mix64(seed + golden)
	s = mix64(s ^ uint64(task))
	s = mix64(s ^ uint64(id))
	return caseStream{state: s}
}

func (s *caseStream) next() uint64 {
	s.state += golden
	return mix64(s.state)
}

// below returns a uniform integer in [0, n) for n > 0. It uses Lemire's multiply-and-reject
// method, which has no modulo bias and rarely divides.
func (s *caseStream) below(n uint64) uint64 {
	hi, lo := bits.Mul64(s.next(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(s.next(), n)
		}
	}
	return hi
}

// shuffleCandidates permutes items uniformly at random (Fisher-Yates) and returns the new index
// of the element that was at index 0.
func shuffleCandidates(items []int32, s *caseStream) int {
	positive := 0
	for i := len(items) - 1; i > 0; i-- {
		j := int(s.below(uint64(i + 1)))
		items[i], items[j] = items[j], items[i]
		switch positive {
		case i:
			positive = j
		case j:
			positive = i
		}
	}
	return positive
}
