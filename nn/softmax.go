package nn

import (
	"fmt"
	"math"
)

// Mask marks which positions an attention row may use (true = keep). Its shape broadcasts to
// the scores it masks under numpy's rules: for scores [B, H, Lq, Lk] a mask [B, 1, 1, Lk]
// masks keys per sequence, [Lq, Lk] one pattern for all.
type Mask struct {
	Shape []int
	Keep  []bool
}

// NewMask returns an all-false mask of the given shape.
func NewMask(shape ...int) *Mask {
	return &Mask{Shape: append([]int(nil), shape...), Keep: make([]bool, shapeLen(shape))}
}

// maskIndex maps rows of a [..., n] tensor to rows of a mask broadcast to it.
type maskIndex struct {
	rank    int
	dims    [maxRank]int // x's dimensions except the last
	strides [maxRank]int // the mask's stride for each of them (0 where broadcast)
	keyStep int          // 1 if the mask varies along the last axis, else 0
}

func newMaskIndex(op string, x []int, m *Mask) maskIndex {
	if len(m.Keep) != shapeLen(m.Shape) {
		panic(fmt.Sprintf("nn: %s: mask of shape %s has %d elements", op, shapeString(m.Shape), len(m.Keep)))
	}
	if len(m.Shape) > len(x) {
		panic(fmt.Sprintf("nn: %s: mask shape %s has more dimensions than %s", op, shapeString(m.Shape), shapeString(x)))
	}
	var mi maskIndex
	mi.rank = len(x) - 1
	stride := 1
	for k := 0; k < len(x); k++ {
		i := len(x) - 1 - k
		md := dimFromEnd(m.Shape, k)
		if md != 1 && md != x[i] {
			panic(fmt.Sprintf("nn: %s: mask shape %s does not broadcast to %s", op, shapeString(m.Shape), shapeString(x)))
		}
		s := 0
		if md != 1 {
			s = stride
		}
		if i == len(x)-1 {
			mi.keyStep = s
		} else {
			mi.dims[i], mi.strides[i] = x[i], s
		}
		stride *= md
	}
	return mi
}

// rowOffset returns the mask offset of x's row r (rows counted over all but the last axis).
func (mi *maskIndex) rowOffset(r int) int {
	off := 0
	for i := mi.rank - 1; i >= 0; i-- {
		off += (r % mi.dims[i]) * mi.strides[i]
		r /= mi.dims[i]
	}
	return off
}

// MaskedSoftmax returns the softmax of x over its last axis using only the positions whose
// mask entry is true; masked positions get 0. A row with every position masked outputs all
// zeros and passes zero gradient, so fully padded rows give no NaN. A nil mask keeps all
// positions. It panics if the mask does not broadcast to x.
func MaskedSoftmax(x *Var, mask *Mask) *Var {
	t := x.tape
	rows, n := lastDim(x.val.Shape)
	out := t.output(x.val.Shape...)
	var mi maskIndex
	if mask != nil {
		mi = newMaskIndex("MaskedSoftmax", x.val.Shape, mask)
	}
	xs, y := x.val.Data, out.val.Data
	for r := 0; r < rows; r++ {
		xr, yr := xs[r*n:(r+1)*n], y[r*n:(r+1)*n]
		var keep []bool
		off := 0
		if mask != nil {
			keep, off = mask.Keep, mi.rowOffset(r)
		}
		softmaxRow(yr, xr, keep, off, mi.keyStep)
	}
	if nd := t.record(backwardSoftmax, out, x); nd != nil {
		nd.a = x
	}
	return out
}

// Softmax returns MaskedSoftmax(x, nil).
func Softmax(x *Var) *Var { return MaskedSoftmax(x, nil) }

// softmaxRow writes the softmax of xr into yr over the kept positions (keep[off+j*step]; all
// when keep is nil), leaving the others and all-masked rows at zero.
func softmaxRow(yr, xr []float32, keep []bool, off, step int) {
	maxv := float32(math.Inf(-1))
	for j, v := range xr {
		if (keep == nil || keep[off+j*step]) && v > maxv {
			maxv = v
		}
	}
	if math.IsInf(float64(maxv), -1) {
		clear(yr)
		return
	}
	var sum float64
	for j, v := range xr {
		if keep != nil && !keep[off+j*step] {
			yr[j] = 0
			continue
		}
		e := exp32(v - maxv)
		yr[j] = e
		sum += float64(e)
	}
	inv := float32(1 / sum)
	for j := range yr {
		yr[j] *= inv
	}
}

// backwardSoftmax applies dx = y ⊙ (dy − Σ dy·y) per row; masked positions have y = 0 and get 0.
func backwardSoftmax(t *Tape, n *node) {
	rows, m := lastDim(n.a.val.Shape)
	y, dy, dx := n.out.val.Data, n.out.grad.Data, t.gradData(n.a)
	for r := 0; r < rows; r++ {
		yr, gr, dr := y[r*m:(r+1)*m], dy[r*m:(r+1)*m], dx[r*m:(r+1)*m]
		var dot float32
		for j, g := range gr {
			dot += g * yr[j]
		}
		for j, g := range gr {
			dr[j] += yr[j] * (g - dot)
		}
	}
}

// LogSoftmax returns x − log Σ exp(x) over the last axis, computed stably.
func LogSoftmax(x *Var) *Var {
	t := x.tape
	rows, n := lastDim(x.val.Shape)
	out := t.output(x.val.Shape...)
	xs, y := x.val.Data, out.val.Data
	for r := 0; r < rows; r++ {
		xr, yr := xs[r*n:(r+1)*n], y[r*n:(r+1)*n]
		lse := logSumExp(xr)
		for j, v := range xr {
			yr[j] = v - lse
		}
	}
	if nd := t.record(backwardLogSoftmax, out, x); nd != nil {
		nd.a = x
	}
	return out
}

// logSumExp returns log Σ exp(x) with the maximum subtracted first; -Inf for an empty row.
func logSumExp(x []float32) float32 {
	maxv := float32(math.Inf(-1))
	for _, v := range x {
		maxv = max(maxv, v)
	}
	if math.IsInf(float64(maxv), 0) {
		return maxv
	}
	var sum float64
	for _, v := range x {
		sum += float64(exp32(v - maxv))
	}
	return maxv + float32(math.Log(sum))
}

// backwardLogSoftmax applies dx = dy − softmax(x) Σ dy per row.
func backwardLogSoftmax(t *Tape, n *node) {
	rows, m := lastDim(n.a.val.Shape)
	y, dy, dx := n.out.val.Data, n.out.grad.Data, t.gradData(n.a)
	for r := 0; r < rows; r++ {
		yr, gr, dr := y[r*m:(r+1)*m], dy[r*m:(r+1)*m], dx[r*m:(r+1)*m]
		var sum float32
		for _, g := range gr {
			sum += g
		}
		for j, g := range gr {
			dr[j] += g - exp32(yr[j])*sum
		}
	}
}
