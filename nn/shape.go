package nn

import (
	"fmt"
	"slices"
	"strconv"
)

// shapeLen returns the number of elements of a shape (1 for a scalar).
func shapeLen(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// normAxis maps a possibly negative axis to [0, rank) or panics naming the op.
func normAxis(op string, axis, rank int) int {
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		panic(fmt.Sprintf("nn: %s: axis %d out of range for rank %d", op, axis, rank))
	}
	return axis
}

// splitAt returns the product of the dimensions before axis, the axis length and the product
// of the dimensions after it.
func splitAt(shape []int, axis int) (outer, mid, inner int) {
	outer, inner = 1, 1
	for i, s := range shape {
		switch {
		case i < axis:
			outer *= s
		case i > axis:
			inner *= s
		}
	}
	return outer, shape[axis], inner
}

// lastDim returns the number of rows and the length of the last axis.
func lastDim(shape []int) (rows, n int) {
	if len(shape) == 0 {
		return 1, 1
	}
	n = shape[len(shape)-1]
	if n == 0 {
		return 0, 0
	}
	return shapeLen(shape) / n, n
}

// mustSameShape panics unless a and b have equal shapes.
func mustSameShape(op string, a, b *Var) {
	if !slices.Equal(a.val.Shape, b.val.Shape) {
		panic(fmt.Sprintf("nn: %s: shapes %v and %v differ", op, a.val.Shape, b.val.Shape))
	}
}

// broadcast describes an elementwise walk over an output shape with two operands read
// through strides (0 along broadcast dimensions). Adjacent dimensions with the same pattern
// are merged, so the common cases become one or two flat loops.
type broadcast struct {
	rank     int
	dims     [maxRank]int
	sa, sb   [maxRank]int
	outShape [maxRank]int
	outRank  int
}

// newBroadcast applies numpy's rules (align trailing dimensions; a dimension of 1 or a
// missing one stretches) to shapes a and b. It panics when they are incompatible.
func newBroadcast(op string, a, b []int) broadcast {
	var bc broadcast
	rank := max(len(a), len(b))
	if rank > maxRank {
		panic(fmt.Sprintf("nn: %s: rank %d exceeds the maximum rank %d", op, rank, maxRank))
	}
	bc.outRank = rank
	var dims, sa, sb [maxRank]int
	strideA, strideB := 1, 1
	for i := rank - 1; i >= 0; i-- {
		da, db := dimFromEnd(a, rank-1-i), dimFromEnd(b, rank-1-i)
		d := da
		switch {
		case da == db, db == 1:
		case da == 1:
			d = db
		default:
			panic(fmt.Sprintf("nn: %s: shapes %s and %s do not broadcast (dimension %d: %d vs %d)", op, shapeString(a), shapeString(b), i, da, db))
		}
		bc.outShape[i] = d
		dims[i] = d
		if da == d && d != 1 {
			sa[i] = strideA
		}
		if db == d && d != 1 {
			sb[i] = strideB
		}
		strideA *= da
		strideB *= db
	}
	bc.merge(dims[:rank], sa[:rank], sb[:rank])
	return bc
}

// dimFromEnd returns shape's k-th dimension counted from the end, or 1 beyond its rank.
func dimFromEnd(shape []int, k int) int {
	if k >= len(shape) {
		return 1
	}
	return shape[len(shape)-1-k]
}

// merge drops dimensions of size 1 and fuses neighbours whose strides continue each other.
func (bc *broadcast) merge(dims, sa, sb []int) {
	r := 0
	for i := range dims {
		if dims[i] == 1 {
			continue
		}
		if r > 0 {
			p := r - 1
			if sa[p] == sa[i]*dims[i] && sb[p] == sb[i]*dims[i] {
				bc.dims[p] *= dims[i]
				bc.sa[p], bc.sb[p] = sa[i], sb[i]
				continue
			}
		}
		bc.dims[r], bc.sa[r], bc.sb[r] = dims[i], sa[i], sb[i]
		r++
	}
	if r == 0 {
		bc.dims[0], bc.sa[0], bc.sb[0] = 1, 0, 0
		r = 1
	}
	bc.rank = r
}

// shape returns the broadcast output shape.
func (bc *broadcast) shape() []int { return bc.outShape[:bc.outRank] }

// walk calls row once per innermost run of the output, in row-major order, with the output
// offset and the operands' offsets. A run has length bc.dims[rank-1], and the operands
// advance by bc.sa[rank-1] and bc.sb[rank-1] per element.
func (bc *broadcast) walk(row func(o, ia, ib int)) {
	last := bc.rank - 1
	n := bc.dims[last]
	var idx [maxRank]int
	ia, ib := 0, 0
	for o := 0; ; o += n {
		row(o, ia, ib)
		k := last - 1
		for ; k >= 0; k-- {
			idx[k]++
			ia += bc.sa[k]
			ib += bc.sb[k]
			if idx[k] < bc.dims[k] {
				break
			}
			ia -= bc.sa[k] * bc.dims[k]
			ib -= bc.sb[k] * bc.dims[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// shapeString formats a shape like fmt's %v ("[2 3]") from a copy, so that a shape on the
// hot path does not escape to the heap through a panic message.
func shapeString(shape []int) string {
	b := []byte{'['}
	for i, s := range shape {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(s), 10)
	}
	return string(append(b, ']'))
}
