package nn

import (
	"fmt"
	"math"
)

// Sigmoid returns 1/(1+e^-x) elementwise.
func Sigmoid(a *Var) *Var {
	t := a.tape
	out := t.output(a.val.Shape...)
	for i, x := range a.val.Data {
		out.val.Data[i] = sigmoid32(x)
	}
	if n := t.record(backwardSigmoid, out, a); n != nil {
		n.a = a
	}
	return out
}

func backwardSigmoid(t *Tape, n *node) {
	da, y := t.gradData(n.a), n.out.val.Data
	for i, g := range n.out.grad.Data {
		da[i] += g * y[i] * (1 - y[i])
	}
}

// Tanh returns the hyperbolic tangent elementwise.
func Tanh(a *Var) *Var {
	t := a.tape
	out := t.output(a.val.Shape...)
	for i, x := range a.val.Data {
		out.val.Data[i] = tanh32(x)
	}
	if n := t.record(backwardTanh, out, a); n != nil {
		n.a = a
	}
	return out
}

func backwardTanh(t *Tape, n *node) {
	da, y := t.gradData(n.a), n.out.val.Data
	for i, g := range n.out.grad.Data {
		da[i] += g * (1 - y[i]*y[i])
	}
}

// ReLU returns max(x, 0) elementwise; its gradient at 0 is 0, as in PyTorch. A NaN input with
// its sign bit clear passes through, so that it stays visible downstream.
func ReLU(a *Var) *Var {
	t := a.tape
	out := t.outputDirty(a.val.Shape...)
	for i, x := range a.val.Data {
		bits := math.Float32bits(x)
		out.val.Data[i] = math.Float32frombits(bits & positiveMask(bits))
	}
	if n := t.record(backwardReLU, out, a); n != nil {
		n.a = a
	}
	return out
}

func backwardReLU(t *Tape, n *node) {
	da, x := t.gradData(n.a), n.a.val.Data
	for i, g := range n.out.grad.Data {
		da[i] += math.Float32frombits(math.Float32bits(g) & positiveMask(math.Float32bits(x[i])))
	}
}

// positiveMask returns all ones when the float32 with these bits is above zero (or a NaN with
// its sign bit clear) and zero otherwise. It avoids a branch because the signs of a layer's
// pre-activations are close to random, so a branch per element would be mispredicted about
// half the time. Subtracting 1 maps +0 to 0xFFFFFFFF and every negative number, −0 included, to
// at least 0x7FFFFFFF, leaving only the positive ones below it.
func positiveMask(bits uint32) uint32 {
	var m uint32
	if bits-1 < 0x7FFFFFFF {
		m = 0xFFFFFFFF
	}
	return m
}

// PReLU returns x where x > 0 and alpha*x elsewhere. Alpha has one element (shared) or one per
// channel, the channel being the last axis of x (PyTorch's channel axis 1 for [N, C] inputs).
// It panics on another alpha length.
func PReLU(x, alpha *Var) *Var {
	t := x.tape
	checkTape(t, alpha)
	rows, c := lastDim(x.val.Shape)
	na := len(alpha.val.Data)
	if na != 1 && na != c {
		panic(fmt.Sprintf("nn: PReLU: alpha has %d elements, want 1 or the %d channels of %s", na, c, shapeString(x.val.Shape)))
	}
	out := t.output(x.val.Shape...)
	xs, y, al := x.val.Data, out.val.Data, alpha.val.Data
	for r := 0; r < rows; r++ {
		for j := 0; j < c; j++ {
			i := r*c + j
			if v := xs[i]; v > 0 {
				y[i] = v
			} else {
				y[i] = al[j%na] * v
			}
		}
	}
	if n := t.record(backwardPReLU, out, x, alpha); n != nil {
		n.a, n.b = x, alpha
	}
	return out
}

func backwardPReLU(t *Tape, n *node) {
	rows, c := lastDim(n.a.val.Shape)
	xs, al, dy := n.a.val.Data, n.b.val.Data, n.out.grad.Data
	na := len(al)
	dx, dal := t.gradIfNeeded(n.a), t.gradIfNeeded(n.b)
	for r := 0; r < rows; r++ {
		for j := 0; j < c; j++ {
			i := r*c + j
			v, g := xs[i], dy[i]
			switch {
			case v > 0:
				addIf(dx, i, g)
			default:
				addIf(dx, i, g*al[j%na])
				addIf(dal, j%na, g*v)
			}
		}
	}
}
