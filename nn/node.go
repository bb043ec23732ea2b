package nn

import "fmt"

// node is one recorded operation. The backward function is a plain top-level function, not a
// closure, so recording an op allocates nothing. The fields hold what the op saved for it.
type node struct {
	backward func(t *Tape, n *node)

	out, out2  *Var
	a, b, c, d *Var
	refLo      int // refs[refLo:refHi] are the inputs of a variadic op
	refHi      int

	i0, i1, i2 int
	f0, f1     float32
	flag0      bool
	flag1      bool

	ids  []int32
	mask *Mask
	buf  []float32 // op-specific saved values
	buf2 []float32
	dft  *dftMatrices
}

// record appends a node with the given backward function for out and returns it, or returns
// nil without recording when none of the inputs needs a gradient.
func (t *Tape) record(backward func(*Tape, *node), out *Var, inputs ...*Var) *node {
	need := false
	for _, in := range inputs {
		if in != nil {
			if in.tape != t {
				panic("nn: inputs come from different tapes")
			}
			need = need || in.needsGrad
		}
	}
	if !need {
		return nil
	}
	return t.push(backward, out)
}

// push appends a node for out unconditionally. The returned pointer is valid until the next
// push, so callers fill in the node at once.
func (t *Tape) push(backward func(*Tape, *node), out *Var) *node {
	out.needsGrad = true
	t.nodes = append(t.nodes, node{backward: backward, out: out})
	return &t.nodes[len(t.nodes)-1]
}

// checkTape panics unless every input was recorded by t.
func checkTape(t *Tape, inputs ...*Var) {
	for _, in := range inputs {
		if in != nil && in.tape != t {
			panic("nn: inputs come from different tapes")
		}
	}
}

// Backward computes the gradient of loss, which must have exactly one element, with respect to
// every node that depends on a parameter. Parameter gradients go to the tape's per-parameter
// buffers; ReduceGrads moves them into Param.Grad. Unless KeepGrads is set, the gradient of
// every other node is recycled as soon as the pass has used it, so Var.Grad is nil afterwards
// for all but parameter leaves. It panics if loss has more than one
// element or belongs to another tape, or if Backward already ran since the last Reset.
func (t *Tape) Backward(loss *Var) { t.backwardSeed(loss, 1) }

// backwardSeed runs the backward pass with d(objective)/d(loss) = seed.
func (t *Tape) backwardSeed(loss *Var, seed float32) {
	if loss.tape != t {
		panic("nn: Backward: loss belongs to another tape")
	}
	if len(loss.val.Data) != 1 {
		panic(fmt.Sprintf("nn: Backward: loss has shape %v, want one element", loss.val.Shape))
	}
	if t.backwardDone {
		panic("nn: Backward: already ran on this tape; call Reset before the next step")
	}
	t.backwardDone = true
	if !loss.needsGrad {
		return
	}
	t.gradData(loss)[0] += seed
	for i := len(t.nodes) - 1; i >= 0; i-- {
		n := &t.nodes[i]
		if n.out.Grad == nil && (n.out2 == nil || n.out2.Grad == nil) {
			continue
		}
		n.backward(t, n)
		if !t.KeepGrads {
			t.releaseGrad(n.out)
			t.releaseGrad(n.out2)
		}
	}
}

// releaseGrad returns the gradient buffer of an intermediate node to the tape's pool once the
// node's backward function has consumed it. Every consumer of v ran earlier in the reverse
// pass, so nothing reads the buffer again. Parameter leaves and views keep theirs (a view's
// buffer is its base's, released with the base).
func (t *Tape) releaseGrad(v *Var) {
	if v == nil || v.Grad == nil || v.param != nil || v.base != nil {
		return
	}
	t.f32.release(v.grad.Data)
	v.grad = Tensor{}
	v.Grad = nil
}

// gradIfNeeded returns v's gradient buffer when v needs one, else nil.
func (t *Tape) gradIfNeeded(v *Var) []float32 {
	if v == nil || !v.needsGrad {
		return nil
	}
	return t.gradData(v)
}

// outGrad returns the gradient of a node's output, or a zero buffer when only the other
// output of a two-output op received one.
func (t *Tape) outGrad(v *Var) []float32 {
	if v.Grad == nil {
		return t.gradData(v)
	}
	return v.grad.Data
}
