package nn

// Sum returns the sum of all elements as a scalar (shape []), accumulated in float64.
func Sum(a *Var) *Var { return sumAll(a, 1) }

// Mean returns the mean of all elements as a scalar (shape []). The mean of no elements is 0.
func Mean(a *Var) *Var {
	n := len(a.val.Data)
	if n == 0 {
		return sumAll(a, 0)
	}
	return sumAll(a, 1/float32(n))
}

func sumAll(a *Var, scale float32) *Var {
	t := a.tape
	out := t.output()
	var s float64
	for _, x := range a.val.Data {
		s += float64(x)
	}
	out.val.Data[0] = float32(s) * scale
	if n := t.record(backwardSumAll, out, a); n != nil {
		n.a, n.f0 = a, scale
	}
	return out
}

func backwardSumAll(t *Tape, n *node) {
	g := n.out.grad.Data[0] * n.f0
	da := t.gradData(n.a)
	for i := range da {
		da[i] += g
	}
}

// SumAxis sums over one axis (negative counts from the end). With keepdim the axis stays with
// length 1, otherwise it is removed. It panics if the axis is out of range.
func SumAxis(a *Var, axis int, keepdim bool) *Var {
	return reduceAxis("SumAxis", a, axis, keepdim, false)
}

// MeanAxis averages over one axis like SumAxis. The mean over an empty axis is 0.
func MeanAxis(a *Var, axis int, keepdim bool) *Var {
	return reduceAxis("MeanAxis", a, axis, keepdim, true)
}

func reduceAxis(op string, a *Var, axis int, keepdim, mean bool) *Var {
	t := a.tape
	shape := a.val.Shape
	axis = normAxis(op, axis, len(shape))
	var outShape [maxRank]int
	r := 0
	for i, s := range shape {
		switch {
		case i != axis:
			outShape[r] = s
			r++
		case keepdim:
			outShape[r] = 1
			r++
		}
	}

	out := t.output(outShape[:r]...)
	outer, mid, inner := splitAt(shape, axis)
	scale := float32(1)
	if mean && mid > 0 {
		scale = 1 / float32(mid)
	}
	x, y := a.val.Data, out.val.Data
	for o := 0; o < outer; o++ {
		dst := y[o*inner : (o+1)*inner]
		for m := 0; m < mid; m++ {
			addTo(x[(o*mid+m)*inner:(o*mid+m+1)*inner], dst)
		}
		for j := range dst {
			dst[j] *= scale
		}
	}

	if n := t.record(backwardReduceAxis, out, a); n != nil {
		n.a, n.i0, n.f0 = a, axis, scale
	}
	return out
}

func backwardReduceAxis(t *Tape, n *node) {
	outer, mid, inner := splitAt(n.a.val.Shape, n.i0)
	dy, da := n.out.grad.Data, t.gradData(n.a)
	for o := 0; o < outer; o++ {
		g := dy[o*inner : (o+1)*inner]
		for m := 0; m < mid; m++ {
			addScaled(n.f0, g, da[(o*mid+m)*inner:(o*mid+m+1)*inner])
		}
	}
}
