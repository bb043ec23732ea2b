package prep

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
)

// Salts keep the random streams of evaluation candidates and training negatives apart.
const (
	evalSalt  = 0x6576616c5f636e64 // "eval_cnd"
	trainSalt = 0x747261696e5f6e67 // "train_ng"
)

// mix64 is the SplitMix64 finaliser, used to derive independent PCG streams from small ids.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniformN returns a uniform integer in [0, n) by Lemire's multiply-and-reject method; n > 0.
func uniformN(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// complementAt returns the r-th smallest item id (from 0) that is not in the sorted distinct
// list interacted. Because interacted[j]-j never decreases, the number of interacted items
// below the result is the count of j with interacted[j]-j <= r.
func complementAt(interacted []int32, r int) int32 {
	below := sort.Search(len(interacted), func(j int) bool { return int(interacted[j])-j > r })
	return int32(r + below)
}

// appendNegatives appends k distinct items drawn uniformly from the numItems items outside the
// sorted list interacted, which must leave at least k items. It uses Floyd's algorithm on the
// ranks of the free items, so it makes exactly k draws. The order of the appended items is not
// uniformly random.
func appendNegatives(dst []int32, src *rand.PCG, interacted []int32, numItems, k int) []int32 {
	free := numItems - len(interacted)
	start := len(dst)
	for j := free - k; j < free; j++ {
		r := int32(uniformN(src, uint64(j+1)))
		if slices.Contains(dst[start:], r) {
			r = int32(j)
		}
		dst = append(dst, r)
	}
	for i := start; i < len(dst); i++ {
		dst[i] = complementAt(interacted, int(dst[i]))
	}
	return dst
}

// evalSource returns the random source of the candidates of one user, scenario and split.
func evalSource(seed uint64, user int, kind uint8, split Split) *rand.PCG {
	id := uint64(user)<<8 | uint64(kind)<<4 | uint64(split)
	return rand.NewPCG(mix64(seed^evalSalt), mix64(id))
}

// TrainNegatives appends to dst Options.TrainNegatives distinct items that the sample's user never
// interacted with, and returns the extended slice. The draw depends only on (Options.Seed, epoch,
// the sample), so every model gets the same negatives for the same sample in the same epoch,
// whatever the batch order or the number of goroutines.
func (p *Prepared) TrainNegatives(s Sample, epoch int, dst []int32) []int32 {
	var src rand.PCG
	src.Seed(mix64(p.Options.Seed^trainSalt^mix64(uint64(epoch))),
		mix64(uint64(s.User)<<32|uint64(uint32(s.Event)))^mix64(uint64(uint32(s.Target))+trainSalt))
	return appendNegatives(dst, &src, p.Interacted(int(s.User)), len(p.Dataset.Items), p.Options.TrainNegatives)
}
