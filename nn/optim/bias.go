package optim

import "math"

// biasTableSize bounds the memo of bias-correction factors. Beyond it the factors are
// recomputed with math.Pow, which gives the same values.
const biasTableSize = 1 << 16

// biasTable memoizes Adam's bias-correction factors 1−β1^t and √(1−β2^t) by step t, because a
// lazy update needs them once per touched row and math.Pow would then cost as much as the
// row's update.
type biasTable struct {
	beta1, beta2 float64
	bc1, sqrtBC2 []float64
}

func newBiasTable(beta1, beta2 float64) biasTable {
	return biasTable{beta1: beta1, beta2: beta2}
}

// at returns 1−β1^t and √(1−β2^t) for a step t ≥ 1, first extending the memo up to t.
func (b *biasTable) at(t int64) (bc1, sqrtBC2 float64) {
	for int64(len(b.bc1)) <= min(t, biasTableSize-1) {
		c1, c2 := b.compute(int64(len(b.bc1)))
		b.bc1 = append(b.bc1, c1)
		b.sqrtBC2 = append(b.sqrtBC2, c2)
	}
	return b.lookup(t)
}

// lookup returns the factors for step t without extending the memo, so concurrent workers
// may call it once at has covered every step they use.
func (b *biasTable) lookup(t int64) (bc1, sqrtBC2 float64) {
	if t >= int64(len(b.bc1)) {
		return b.compute(t)
	}
	return b.bc1[t], b.sqrtBC2[t]
}

func (b *biasTable) compute(t int64) (bc1, sqrtBC2 float64) {
	tf := float64(t)
	return 1 - math.Pow(b.beta1, tf), math.Sqrt(1 - math.Pow(b.beta2, tf))
}
