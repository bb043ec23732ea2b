package nn

// binaryOp selects the arithmetic of Add, Sub, Mul and Div.
type binaryOp int

const (
	opAdd binaryOp = iota
	opSub
	opMul
	opDiv
)

var binaryNames = [...]string{"Add", "Sub", "Mul", "Div"}

// Add returns a + b with numpy broadcasting on trailing dimensions (for example [B, L, d] + [d],
// [B, L, d] + [B, 1, d] or [B, L, d] + [B, L, 1]). The smaller operand is read in place, never
// expanded; its gradient sums over the broadcast dimensions. It panics on incompatible shapes.
func Add(a, b *Var) *Var { return binary(opAdd, a, b) }

// Sub returns a - b with the broadcasting of Add.
func Sub(a, b *Var) *Var { return binary(opSub, a, b) }

// Mul returns the elementwise product a * b with the broadcasting of Add.
func Mul(a, b *Var) *Var { return binary(opMul, a, b) }

// Div returns the elementwise quotient a / b with the broadcasting of Add.
func Div(a, b *Var) *Var { return binary(opDiv, a, b) }

func binary(op binaryOp, a, b *Var) *Var {
	t := a.tape
	checkTape(t, b)
	bc := newBroadcast(binaryNames[op], a.val.Shape, b.val.Shape)
	out := t.outputDirty(bc.shape()...) // the walk writes every element
	if len(out.val.Data) > 0 {
		binaryForward(op, &bc, out.val.Data, a.val.Data, b.val.Data)
	}
	if n := t.record(backwardBinary, out, a, b); n != nil {
		n.a, n.b, n.i0 = a, b, int(op)
	}
	return out
}

func binaryForward(op binaryOp, bc *broadcast, y, a, b []float32) {
	sa, sb := bc.sa[bc.rank-1], bc.sb[bc.rank-1]
	n := bc.dims[bc.rank-1]
	bc.walk(func(o, ia, ib int) {
		binaryRun(op, y[o:o+n], a[ia:], b[ib:], sa, sb)
	})
}

// binaryRun computes one contiguous run of the output. The innermost strides of the operands
// are 1, or 0 for an operand broadcast along the last axis.
func binaryRun(op binaryOp, y, a, b []float32, sa, sb int) {
	if sa == 1 && sb == 1 {
		a, b = a[:len(y)], b[:len(y)]
		switch op {
		case opAdd:
			for j := range y {
				y[j] = a[j] + b[j]
			}
		case opSub:
			for j := range y {
				y[j] = a[j] - b[j]
			}
		case opMul:
			for j := range y {
				y[j] = a[j] * b[j]
			}
		default:
			for j := range y {
				y[j] = a[j] / b[j]
			}
		}
		return
	}
	switch op {
	case opAdd:
		for j := range y {
			y[j] = a[j*sa] + b[j*sb]
		}
	case opSub:
		for j := range y {
			y[j] = a[j*sa] - b[j*sb]
		}
	case opMul:
		for j := range y {
			y[j] = a[j*sa] * b[j*sb]
		}
	default:
		for j := range y {
			y[j] = a[j*sa] / b[j*sb]
		}
	}
}

func backwardBinary(t *Tape, n *node) {
	a, b, op := n.a, n.b, binaryOp(n.i0)
	bc := newBroadcast(binaryNames[op], a.val.Shape, b.val.Shape)
	dy := n.out.grad.Data
	if len(dy) == 0 {
		return
	}
	da, db := t.gradIfNeeded(a), t.gradIfNeeded(b)
	av, bv := a.val.Data, b.val.Data
	sa, sb := bc.sa[bc.rank-1], bc.sb[bc.rank-1]
	cnt := bc.dims[bc.rank-1]
	bc.walk(func(o, ia, ib int) {
		g := dy[o : o+cnt]
		if da != nil {
			binaryGradA(op, g, da[ia:], bv[ib:], sa, sb)
		}
		if db != nil {
			binaryGradB(op, g, db[ib:], av[ia:], bv[ib:], sa, sb)
		}
	})
}

// binaryGradA adds ∂(a op b)/∂a · g to da along one run (strides as in binaryRun). Where a is
// broadcast (sa = 0) the run's terms are summed first and added to the one element.
func binaryGradA(op binaryOp, g, da, bv []float32, sa, sb int) {
	if sa == 0 {
		da[0] += broadcastGrad(op, g, bv, sb)
		return
	}
	switch {
	case op == opAdd || op == opSub:
		addTo(g, da[:len(g)])
	case op == opMul && sb == 1:
		addProduct(g, bv, da[:len(g)])
	case op == opMul:
		addScaled(bv[0], g, da[:len(g)])
	default:
		for j, gj := range g {
			da[j] += gj / bv[j*sb]
		}
	}
}

// broadcastGrad returns Σ_j ∂(a op b)/∂a · g_j along a run where a is one element.
func broadcastGrad(op binaryOp, g, bv []float32, sb int) float32 {
	switch {
	case op == opAdd || op == opSub:
		return sum32(g)
	case op == opMul && sb == 0:
		return sum32(g) * bv[0]
	}
	var s float32
	for j, gj := range g {
		if op == opMul {
			s += gj * bv[j*sb]
		} else {
			s += gj / bv[j*sb]
		}
	}
	return s
}

// binaryGradB adds ∂(a op b)/∂b · g to db along one run.
func binaryGradB(op binaryOp, g, db, av, bv []float32, sa, sb int) {
	if sb == 0 && op != opDiv {
		s := broadcastGrad(op, g, av, sa)
		if op == opSub {
			s = -s
		}
		db[0] += s
		return
	}
	switch {
	case op == opAdd:
		addTo(g, db[:len(g)])
	case op == opSub:
		addScaled(-1, g, db[:len(g)])
	case op == opMul && sa == 1:
		addProduct(g, av, db[:len(g)])
	case op == opMul:
		addScaled(av[0], g, db[:len(g)])
	default:
		for j, gj := range g {
			q := bv[j*sb]
			db[j*sb] -= gj * av[j*sa] / (q * q)
		}
	}
}

func addIf(g []float32, i int, v float32) {
	if g != nil {
		g[i] += v
	}
}

// Scale returns c * a.
func Scale(a *Var, c float32) *Var {
	t := a.tape
	out := t.output(a.val.Shape...)
	for i, x := range a.val.Data {
		out.val.Data[i] = c * x
	}
	if n := t.record(backwardScale, out, a); n != nil {
		n.a, n.f0 = a, c
	}
	return out
}

func backwardScale(t *Tape, n *node) {
	addScaled(n.f0, n.out.grad.Data, t.gradData(n.a))
}

// AddScalar returns a + c elementwise.
func AddScalar(a *Var, c float32) *Var {
	t := a.tape
	out := t.output(a.val.Shape...)
	for i, x := range a.val.Data {
		out.val.Data[i] = x + c
	}
	if n := t.record(backwardIdentity, out, a); n != nil {
		n.a = a
	}
	return out
}

// backwardIdentity adds the output gradient to the single input's gradient.
func backwardIdentity(t *Tape, n *node) {
	addTo(n.out.grad.Data, t.gradData(n.a))
}
