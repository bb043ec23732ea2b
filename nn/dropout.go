package nn

import "fmt"

// Dropout zeroes each element with probability p and scales the kept ones by 1/(1−p), so the
// expected value is unchanged. It returns x itself when the tape is not in training mode or p
// is 0. The mask comes from the tape's seeded generator, one draw per element in row-major
// order. It panics unless 0 ≤ p < 1.
func Dropout(x *Var, p float32) *Var {
	if p < 0 || p >= 1 {
		panic(fmt.Sprintf("nn: Dropout: probability %g outside [0, 1)", p))
	}
	t := x.tape
	if !t.Train || p == 0 {
		return x
	}
	out := t.output(x.val.Shape...)
	scale := 1 / (1 - p)
	mask := t.f32.get(len(x.val.Data))
	for i, v := range x.val.Data {
		// The same draw as t.rng.Float32(), taken from the PCG directly to skip the interface call.
		u := float32(uint32(t.pcg.Uint64()>>32)<<8>>8) / (1 << 24)
		if u >= p {
			mask[i] = scale
			out.val.Data[i] = v * scale
		}
	}
	if n := t.record(backwardDropout, out, x); n != nil {
		n.a, n.buf = x, mask
	}
	return out
}

func backwardDropout(t *Tape, n *node) {
	addProduct(n.out.grad.Data, n.buf, t.gradData(n.a))
}
