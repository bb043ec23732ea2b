package nn

import (
	"fmt"
	"math/rand/v2"
)

// maxRank is the largest tensor rank the tape's ops accept.
const maxRank = 6

// Tape records the operations of one forward pass and runs their backward functions in reverse.
//
// A Tape is used by one goroutine at a time. Several tapes may run in parallel on the same
// parameters, because each accumulates parameter gradients into its own buffers; ReduceGrads
// sums them into Param.Grad. Every Var, value and gradient that a tape hands out lives in the
// tape's buffers and stays valid until the next Reset, which recycles them: after the first
// step of a training loop a step allocates (almost) nothing.
type Tape struct {
	// Train turns on training behaviour: dropout masks and batch statistics in Dice.
	Train bool
	// Backend computes the matrix products. NewTape sets it to DefaultBackend().
	Backend Backend
	// KeepGrads keeps the gradient of every intermediate node readable through Var.Grad
	// after Backward. By default Backward recycles those buffers as it goes, so a step's
	// gradients share a few buffers instead of holding one per node. Parameter gradients are
	// kept either way.
	KeepGrads bool

	pcg          *rand.PCG
	rng          *rand.Rand
	backwardDone bool

	vars  []*Var // pool of nodes; vars[:nvars] are in use this step
	nvars int
	nodes []node
	refs  []*Var // input lists of variadic ops, referenced by index ranges from nodes

	f32   pool[float32]
	bools pool[bool]
	i32   pool[int32]

	params    map[*Param]*paramGrad
	usedParam []*paramGrad // parameters used since the last Reset, in order of first use
	dfts      map[int]*dftMatrices
}

// NewTape returns an empty tape in evaluation mode (Train false) whose dropout generator is a
// PCG seeded with seed, using DefaultBackend.
func NewTape(seed uint64) *Tape {
	pcg := rand.NewPCG(seed, seedStream)
	return &Tape{
		Backend: DefaultBackend(),
		pcg:     pcg,
		rng:     rand.New(pcg),
		params:  make(map[*Param]*paramGrad),
		dfts:    make(map[int]*dftMatrices),
	}
}

// seedStream is the fixed second word of every tape's PCG state; the seed picks the first.
const seedStream = 0x9e3779b97f4a7c15

// Seed resets the tape's random generator (used by Dropout) to the state NewTape(seed) gives.
func (t *Tape) Seed(seed uint64) { t.pcg.Seed(seed, seedStream) }

// Rand returns the tape's seeded generator, for layers that need random numbers in a step.
func (t *Tape) Rand() *rand.Rand { return t.rng }

// Reset drops the recorded operations and recycles every buffer handed out since the last
// Reset. Vars, values and gradients obtained before the call must not be used after it.
// Per-tape parameter gradients are cleared; Param.Grad is left as it is.
func (t *Tape) Reset() {
	for i := range t.nodes {
		t.nodes[i] = node{}
	}
	t.nodes = t.nodes[:0]
	clear(t.refs)
	t.refs = t.refs[:0]
	for _, v := range t.vars[:t.nvars] {
		*v = Var{}
	}
	t.nvars = 0
	t.f32.recycle()
	t.bools.recycle()
	t.i32.recycle()
	for _, pg := range t.usedParam {
		pg.reset()
	}
	t.usedParam = t.usedParam[:0]
	t.backwardDone = false
}

// newVar returns a fresh node of the given shape without a value buffer.
func (t *Tape) newVar(shape []int) *Var {
	if len(shape) > maxRank {
		panic(fmt.Sprintf("nn: rank %d of shape %s exceeds the maximum rank %d", len(shape), shapeString(shape), maxRank))
	}
	if t.nvars == len(t.vars) {
		t.vars = append(t.vars, new(Var))
	}
	v := t.vars[t.nvars]
	t.nvars++
	v.tape = t
	n := copy(v.shape[:], shape)
	v.val.Shape = v.shape[:n:n]
	v.Value = &v.val
	return v
}

// output returns a new Var of the given shape whose value is a zeroed buffer from the tape.
func (t *Tape) output(shape ...int) *Var {
	v := t.newVar(shape)
	v.val.Data = t.f32.get(shapeLen(shape))
	return v
}

// outputDirty is output for ops that write every element of the value. Its buffer is not
// cleared first and may hold values from an earlier step.
func (t *Tape) outputDirty(shape ...int) *Var {
	v := t.newVar(shape)
	v.val.Data = t.f32.getDirty(shapeLen(shape))
	return v
}

// Const returns a leaf that wraps x without copying and takes no gradient. The tape reads x
// during Backward, so x must not change before then.
func (t *Tape) Const(x *Tensor) *Var {
	v := t.newVar(x.Shape)
	if len(x.Data) != shapeLen(x.Shape) {
		panic(fmt.Sprintf("nn: Const: tensor of shape %v has %d elements, want %d", x.Shape, len(x.Data), shapeLen(x.Shape)))
	}
	v.val.Data = x.Data
	return v
}

// Zeros returns a constant leaf of the given shape whose zeroed value lives in the tape's
// buffers, for per-step inputs (targets, masks as floats) that the caller fills in before use.
func (t *Tape) Zeros(shape ...int) *Var { return t.output(shape...) }

// NewMask returns a mask of the given shape, all false, whose Keep slice comes from the tape's
// buffers and is recycled by the next Reset.
func (t *Tape) NewMask(shape ...int) *Mask {
	m := &Mask{Shape: append([]int(nil), shape...)}
	m.Keep = t.bools.get(shapeLen(shape))
	return m
}

// Param returns the leaf for parameter p. Calling it again before Reset returns the same Var.
// Its gradient goes to this tape's buffers for p; ReduceGrads moves it into p.Grad.
func (t *Tape) Param(p *Param) *Var {
	pg := t.paramGrad(p)
	if pg.leaf != nil {
		return pg.leaf
	}
	v := t.newVar(p.Value.Shape)
	if len(p.Value.Data) != shapeLen(p.Value.Shape) {
		panic(fmt.Sprintf("nn: Param %q: tensor of shape %v has %d elements, want %d",
			p.Name, p.Value.Shape, len(p.Value.Data), shapeLen(p.Value.Shape)))
	}
	v.val.Data = p.Value.Data
	v.param = pg
	v.needsGrad = true
	pg.leaf = v
	return v
}

// Var is a node of a tape: a value, its gradient after Backward, and what produced it.
type Var struct {
	// Value is the forward result. It shares storage with the input for views (Reshape) and
	// with the wrapped tensor for leaves.
	Value *Tensor
	// Grad is the gradient of the loss with respect to Value after Backward, or nil when no
	// gradient reached this node. For a parameter leaf it is this tape's share of the
	// gradient; row-sparse parameters that are only gathered keep it nil. For other nodes
	// it stays set after Backward only when the tape's KeepGrads is true.
	Grad *Tensor

	tape      *Tape
	val, grad Tensor
	shape     [maxRank]int
	needsGrad bool
	base      *Var       // the Var whose storage this view shares, or nil
	param     *paramGrad // set for parameter leaves
}

// Shape returns the dimensions of the value.
func (v *Var) Shape() []int { return v.val.Shape }

// Data returns the value's elements in row-major order.
func (v *Var) Data() []float32 { return v.val.Data }

// Tape returns the tape that recorded v.
func (v *Var) Tape() *Tape { return v.tape }

// RequiresGrad reports whether a gradient flows back to v from a loss (v depends on a parameter).
func (v *Var) RequiresGrad() bool { return v.needsGrad }

// Item returns the single element of a one-element value. It panics otherwise.
func (v *Var) Item() float32 {
	if len(v.val.Data) != 1 {
		panic(fmt.Sprintf("nn: Item on a value of shape %v", v.val.Shape))
	}
	return v.val.Data[0]
}

// gradData returns v's gradient buffer, creating a zeroed one on first use. Views share their
// base's buffer, so a gradient written through a view lands in the base.
func (t *Tape) gradData(v *Var) []float32 {
	if v.Grad != nil {
		return v.grad.Data
	}
	var g []float32
	switch {
	case v.base != nil:
		g = t.gradData(v.base)
	case v.param != nil:
		g = v.param.denseGrad()
	default:
		g = t.f32.get(len(v.val.Data))
	}
	v.grad.Shape = v.val.Shape
	v.grad.Data = g
	v.Grad = &v.grad
	return g
}
