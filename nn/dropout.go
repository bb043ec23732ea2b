package nn

import (
	"fmt"
	"math"
)

// Dropout zeroes each element with probability p and scales the kept ones by 1/(1−p), so the
// expected value is unchanged. It returns x itself when the tape is not in training mode or p
// is 0. The mask comes from the tape's seeded generator. Each 64-bit draw decides two elements in
// row-major order, the first from its high 32 bits and the second from its low 32 bits. An
// element is kept when the top 24 bits of its half, read as a fraction of 2²⁴, are at least p.
// It panics unless 0 ≤ p < 1.
func Dropout(x *Var, p float32) *Var {
	if p < 0 || p >= 1 {
		panic(fmt.Sprintf("nn: Dropout: probability %g outside [0, 1)", p))
	}
	t := x.tape
	if !t.Train || p == 0 {
		return x
	}
	out := t.outputDirty(x.val.Shape...)
	mask := t.f32.getDirty(len(x.val.Data))
	dropoutMask(t, mask, p)
	for i, v := range x.val.Data {
		out.val.Data[i] = v * mask[i]
	}
	if n := t.record(backwardDropout, out, x); n != nil {
		n.a, n.buf = x, mask
	}
	return out
}

// dropoutMask fills mask with 1/(1−p) for kept elements and 0 for dropped ones, as Dropout
// describes. Half as many draws as elements and a comparison without a branch keep it cheap:
// it runs on every transformer activation of a training step.
func dropoutMask(t *Tape, mask []float32, p float32) {
	scale := 1 / (1 - p)
	threshold := uint32(float64(p) * (1 << 24)) // u ≥ p exactly when the 24-bit draw ≥ ⌈p·2²⁴⌉
	if float64(threshold) < float64(p)*(1<<24) {
		threshold++
	}
	scaleBits := math.Float32bits(scale)
	keep := func(bits uint32) float32 { // an integer select, which compiles to a CMOV
		var k uint32
		if bits>>8 >= threshold {
			k = scaleBits
		}
		return math.Float32frombits(k)
	}
	n := len(mask)
	i := 0
	for ; i+1 < n; i += 2 {
		r := t.pcg.Uint64()
		mask[i] = keep(uint32(r >> 32))
		mask[i+1] = keep(uint32(r))
	}
	if i < n {
		mask[i] = keep(uint32(t.pcg.Uint64() >> 32))
	}
}

func backwardDropout(t *Tape, n *node) {
	addProduct(n.out.grad.Data, n.buf, t.gradData(n.a))
}
