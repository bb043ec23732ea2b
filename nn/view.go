package nn

import "fmt"

// Reshape returns a view of a with a new shape and the same elements in the same order. No
// data is copied, and gradients written to the view land in a's gradient. One dimension may be
// -1 and is then inferred. It panics if the element counts differ.
func Reshape(a *Var, shape ...int) *Var {
	t := a.tape
	var dims [maxRank]int
	if len(shape) > maxRank {
		panic(fmt.Sprintf("nn: Reshape: rank %d exceeds the maximum rank %d", len(shape), maxRank))
	}
	n := copy(dims[:], shape)
	inferDim(dims[:n], len(a.val.Data), a.val.Shape)
	v := t.newVar(dims[:n])
	v.val.Data = a.val.Data
	v.needsGrad = a.needsGrad
	v.base = a
	if a.base != nil {
		v.base = a.base
	}
	return v
}

// inferDim replaces a single -1 in dims so that the product equals total, or panics.
func inferDim(dims []int, total int, from []int) {
	known, free := 1, -1
	for i, d := range dims {
		switch {
		case d == -1 && free < 0:
			free = i
		case d < 0:
			panic(fmt.Sprintf("nn: Reshape: invalid shape %s for %s", shapeString(dims), shapeString(from)))
		default:
			known *= d
		}
	}
	if free >= 0 && known > 0 && total%known == 0 {
		dims[free] = total / known
		known = total
	}
	if known != total {
		panic(fmt.Sprintf("nn: Reshape: cannot view %s (%d elements) as %s", shapeString(from), total, shapeString(dims)))
	}
}

// Transpose swaps the last two dimensions of a (rank 2 or more). It copies the data; MatMul
// takes transpose flags and needs no Transpose.
func Transpose(a *Var) *Var {
	t := a.tape
	r := len(a.val.Shape)
	if r < 2 {
		panic(fmt.Sprintf("nn: Transpose: shape %s has fewer than 2 dimensions", shapeString(a.val.Shape)))
	}
	var dims [maxRank]int
	copy(dims[:], a.val.Shape)
	rows, cols := dims[r-2], dims[r-1]
	dims[r-2], dims[r-1] = cols, rows
	out := t.output(dims[:r]...)
	transposeBlocks(out.val.Data, a.val.Data, rows, cols, false)
	if n := t.record(backwardTranspose, out, a); n != nil {
		n.a = a
	}
	return out
}

// transposeBlocks writes (or adds) the transpose of each rows×cols matrix of src into dst.
func transposeBlocks(dst, src []float32, rows, cols int, add bool) {
	size := rows * cols
	for off := 0; off+size <= len(src) && size > 0; off += size {
		s, d := src[off:off+size], dst[off:off+size]
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				if add {
					d[j*rows+i] += s[i*cols+j]
				} else {
					d[j*rows+i] = s[i*cols+j]
				}
			}
		}
	}
}

func backwardTranspose(t *Tape, n *node) {
	r := len(n.a.val.Shape)
	rows, cols := n.a.val.Shape[r-2], n.a.val.Shape[r-1]
	transposeBlocks(t.gradData(n.a), n.out.grad.Data, cols, rows, true)
}

// Narrow returns a copy of the slice start:start+length of a along axis (negative counts from
// the end). Narrow(x, 1, step, 1) takes one time step of [B, L, d]. It panics
// if the range does not fit.
func Narrow(a *Var, axis, start, length int) *Var {
	t := a.tape
	axis = normAxis("Narrow", axis, len(a.val.Shape))
	size := a.val.Shape[axis]
	if start < 0 || length < 0 || start+length > size {
		panic(fmt.Sprintf("nn: Narrow: range [%d, %d) outside axis %d of length %d", start, start+length, axis, size))
	}
	var dims [maxRank]int
	r := copy(dims[:], a.val.Shape)
	dims[axis] = length
	out := t.outputDirty(dims[:r]...) // the copies below cover every element
	outer, mid, inner := splitAt(a.val.Shape, axis)
	for o := 0; o < outer; o++ {
		copy(out.val.Data[o*length*inner:(o+1)*length*inner], a.val.Data[(o*mid+start)*inner:(o*mid+start+length)*inner])
	}
	if n := t.record(backwardNarrow, out, a); n != nil {
		n.a, n.i0, n.i1, n.i2 = a, axis, start, length
	}
	return out
}

func backwardNarrow(t *Tape, n *node) {
	outer, mid, inner := splitAt(n.a.val.Shape, n.i0)
	start, length := n.i1, n.i2
	da, dy := t.gradData(n.a), n.out.grad.Data
	for o := 0; o < outer; o++ {
		addTo(dy[o*length*inner:(o+1)*length*inner], da[(o*mid+start)*inner:(o*mid+start+length)*inner])
	}
}

// Concat joins the inputs along axis (negative counts from the end); all other dimensions must
// agree. It panics on an empty input list or mismatched shapes.
func Concat(axis int, xs ...*Var) *Var {
	if len(xs) == 0 {
		panic("nn: Concat: no inputs")
	}
	t := xs[0].tape
	first := xs[0].val.Shape
	axis = normAxis("Concat", axis, len(first))
	var dims [maxRank]int
	r := copy(dims[:], first)
	dims[axis] = 0

	need := false
	for _, x := range xs {
		checkTape(t, x)
		if !sameExceptAxis(x.val.Shape, first, axis) {
			panic(fmt.Sprintf("nn: Concat: shape %s does not match %s outside axis %d", shapeString(x.val.Shape), shapeString(first), axis))
		}
		dims[axis] += x.val.Shape[axis]
		need = need || x.needsGrad
	}

	out := t.outputDirty(dims[:r]...) // the inputs' copies below cover every element
	outer, total, inner := splitAt(dims[:r], axis)
	off := 0
	for _, x := range xs {
		m := x.val.Shape[axis]
		for o := 0; o < outer; o++ {
			copy(out.val.Data[(o*total+off)*inner:(o*total+off+m)*inner], x.val.Data[o*m*inner:(o+1)*m*inner])
		}
		off += m
	}

	if !need {
		return out
	}
	lo := len(t.refs)
	t.refs = append(t.refs, xs...)
	n := t.push(backwardConcat, out)
	n.refLo, n.refHi, n.i0 = lo, len(t.refs), axis
	return out
}

func sameExceptAxis(a, b []int, axis int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if i != axis && a[i] != b[i] {
			return false
		}
	}
	return true
}

func backwardConcat(t *Tape, n *node) {
	outer, total, inner := splitAt(n.out.val.Shape, n.i0)
	dy := n.out.grad.Data
	off := 0
	for _, x := range t.refs[n.refLo:n.refHi] {
		m := x.val.Shape[n.i0]
		if x.needsGrad {
			dx := t.gradData(x)
			for o := 0; o < outer; o++ {
				addTo(dy[(o*total+off)*inner:(o*total+off+m)*inner], dx[o*m*inner:(o+1)*m*inner])
			}
		}
		off += m
	}
}

// Split cuts a along its last axis into pieces of the given sizes, which must sum to that
// axis's length. Each piece is a copy (a Narrow). The returned slice is newly allocated.
func Split(a *Var, sizes ...int) []*Var {
	last := len(a.val.Shape) - 1
	if last < 0 {
		panic("nn: Split: scalar input")
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total != a.val.Shape[last] {
		panic(fmt.Sprintf("nn: Split: sizes sum to %d, want the last dimension %d of %s", total, a.val.Shape[last], shapeString(a.val.Shape)))
	}
	out := make([]*Var, len(sizes))
	off := 0
	for i, s := range sizes {
		out[i] = Narrow(a, last, off, s)
		off += s
	}
	return out
}
