package nn

import "fmt"

// Affine returns x·Wᵀ + b, the torch.nn.Linear map over the last axis: x is [..., In], w is
// [Out, In] and bias is [Out] or nil. It equals Add(MatMul(x, w, false, true), bias) up to
// rounding, but writes the bias into the output first and accumulates the product onto it
// (GEMM with beta = 1), so the layer keeps one [..., Out] buffer and one gradient instead of
// two of each. It panics on mismatched shapes.
func Affine(x, w, bias *Var) *Var {
	t := x.tape
	checkTape(t, w, bias)
	rows, in, out := affineShape(x, w, bias)
	var dims [maxRank]int
	r := copy(dims[:], x.val.Shape)
	dims[r-1] = out
	var y *Var
	if bias != nil {
		y = t.outputDirty(dims[:r]...) // every row starts as a copy of the bias
		for i := 0; i < rows; i++ {
			copy(y.val.Data[i*out:(i+1)*out], bias.val.Data)
		}
	} else {
		y = t.output(dims[:r]...)
	}
	t.gemm(false, true, rows, out, in, 1, x.val.Data, in, w.val.Data, in, 1, y.val.Data, out)
	if n := t.record(backwardAffine, y, x, w, bias); n != nil {
		n.a, n.b, n.c = x, w, bias
	}
	return y
}

// affineShape validates the operands of Affine and returns the number of rows and the input
// and output widths.
func affineShape(x, w, bias *Var) (rows, in, out int) {
	xs, ws := x.val.Shape, w.val.Shape
	if len(xs) == 0 || len(ws) != 2 || xs[len(xs)-1] != ws[1] {
		panic(fmt.Sprintf("nn: Affine: input %s and weight %s; want [..., In] and [Out, In]", shapeString(xs), shapeString(ws)))
	}
	in, out = ws[1], ws[0]
	if bias != nil && len(bias.val.Data) != out {
		panic(fmt.Sprintf("nn: Affine: bias %s, want [%d]", shapeString(bias.val.Shape), out))
	}
	return shapeLen(xs[:len(xs)-1]), in, out
}

// backwardAffine applies dx = dy·W, dW = dyᵀ·x and db = Σ_rows dy.
func backwardAffine(t *Tape, n *node) {
	x, w, bias := n.a, n.b, n.c
	rows, in, out := affineShape(x, w, bias)
	dy := n.out.grad.Data
	if dx := t.gradIfNeeded(x); dx != nil {
		t.gemm(false, false, rows, in, out, 1, dy, out, w.val.Data, in, 1, dx, in)
	}
	if dw := t.gradIfNeeded(w); dw != nil {
		t.gemm(true, false, out, in, rows, 1, dy, out, x.val.Data, in, 1, dw, in)
	}
	if db := t.gradIfNeeded(bias); db != nil {
		for i := 0; i < rows; i++ {
			addTo(dy[i*out:(i+1)*out], db)
		}
	}
}
