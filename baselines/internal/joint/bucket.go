package joint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/srbench/srbench/nn"
)

// BucketRows and BucketWidthStep shape the buckets of EncodeTrimmed: at most BucketRows rows
// each, with the width rounded up to a multiple of BucketWidthStep (or the full history width).
// Few distinct shapes matter because the tape's buffer pool keeps one free list per buffer
// length: buckets of every row count and width leave gigabytes of buffers of rarely repeated
// lengths on those lists. Measured on the default synthetic preset with SESRec, one epoch with
// 2 workers: 3.0 GB peak RSS untrimmed, 7.1 GB with exact-width buckets of any row count.
const (
	BucketRows      = 64
	BucketWidthStep = 6
)

// Bucket is a group of batch rows whose histories are encoded together at a trimmed width.
// Histories are right-aligned, so the trimmed window is the last Width slots of each row.
type Bucket struct {
	// Rows lists the batch rows, by ascending span and then by row index.
	Rows []int32
	// Width is the trimmed width: the largest span among Rows, rounded up (Buckets).
	Width int
}

// Spans returns the span of each of the b rows of the flat [b·l] mask keep. A row's span is l
// minus the index of its first kept slot, or 0 when it keeps none. For right-aligned histories
// the span is the history length.
func Spans(keep []bool, b, l int) []int {
	spans := make([]int, b)
	for r := range b {
		for j, k := range keep[r*l : (r+1)*l] {
			if k {
				spans[r] = l - j
				break
			}
		}
	}
	return spans
}

// Buckets sorts the rows with a positive span by span and cuts them into groups of at most
// size rows. A group's width is its longest span rounded up to a multiple of step, at most
// width (the untrimmed history width). Rows with span 0 (nothing kept) are in no bucket. The
// order is deterministic. It panics if size or step is below 1 or a span exceeds width.
//
// NOTE: a row is encoded at its bucket's width, which may exceed its span. The extra slots are
// masked keys, so they change its outputs only by float rounding, and only where the engine's
// products sum in a different order for a longer inner dimension.
func Buckets(spans []int, width, size, step int) []Bucket {
	if size < 1 || step < 1 {
		panic(fmt.Sprintf("joint: Buckets: size %d and step %d, want at least 1 each", size, step))
	}
	var rows []int32
	for r, s := range spans {
		if s > width {
			panic(fmt.Sprintf("joint: Buckets: row %d has span %d, wider than the history width %d", r, s, width))
		}
		if s > 0 {
			rows = append(rows, int32(r))
		}
	}
	slices.SortStableFunc(rows, func(a, b int32) int { return cmp.Compare(spans[a], spans[b]) })
	var out []Bucket
	for lo := 0; lo < len(rows); lo += size {
		group := rows[lo:min(lo+size, len(rows))]
		longest := spans[group[len(group)-1]]
		out = append(out, Bucket{Rows: group, Width: min((longest+step-1)/step*step, width)})
	}
	return out
}

// Trim returns the last Width slots of the bucket's rows of x [B, L, d], as [len(Rows), Width, d].
// It panics if Width exceeds L.
func (bk Bucket) Trim(x *nn.Var) *nn.Var {
	shape := x.Shape()
	b, l, d := shape[0], shape[1], shape[2]
	if bk.Width > l {
		panic(fmt.Sprintf("joint: Bucket.Trim: width %d exceeds the history width %d", bk.Width, l))
	}
	ids := make([]int32, 0, len(bk.Rows)*bk.Width)
	for _, r := range bk.Rows {
		start := int32(int(r)*l + l - bk.Width)
		for j := range int32(bk.Width) {
			ids = append(ids, start+j)
		}
	}
	return nn.Reshape(nn.Gather(nn.Reshape(x, b*l, d), ids), len(bk.Rows), bk.Width, d)
}

// Mask returns the [len(Rows), Width] part of the flat [B·l] mask keep that Trim's window
// covers, recorded on t.
func (bk Bucket) Mask(t *nn.Tape, keep []bool, l int) *nn.Mask {
	m := t.NewMask(len(bk.Rows), bk.Width)
	for i, r := range bk.Rows {
		start := int(r)*l + l - bk.Width
		copy(m.Keep[i*bk.Width:(i+1)*bk.Width], keep[start:start+bk.Width])
	}
	return m
}

// Untrim places the outputs of the buckets (outputs[i] is [len(buckets[i].Rows), Width, d]) back
// at their slots of a [b, l, d] result. Slots that keep [b·l] does not keep, and rows in no
// bucket, are zero rows without gradient.
func Untrim(outputs []*nn.Var, buckets []Bucket, keep []bool, b, l int) *nn.Var {
	if len(outputs) == 0 {
		panic("joint: Untrim needs at least one bucket output for its width d")
	}
	d := outputs[0].Shape()[2]
	back := make([]int32, b*l)
	for i := range back {
		back[i] = nn.PaddingID
	}
	flat := make([]*nn.Var, len(outputs))
	offset := int32(0)
	for i, bk := range buckets {
		flat[i] = nn.Reshape(outputs[i], len(bk.Rows)*bk.Width, d)
		for k, r := range bk.Rows {
			for j := range bk.Width {
				slot := int(r)*l + l - bk.Width + j
				if keep[slot] {
					back[slot] = offset + int32(k*bk.Width+j)
				}
			}
		}
		offset += int32(len(bk.Rows) * bk.Width)
	}
	all := flat[0]
	if len(flat) > 1 {
		all = nn.Concat(0, flat...)
	}
	return nn.Reshape(nn.Gather(all, back), b, l, d)
}

// EncodeTrimmed runs encode on the histories x [B, L, d] bucket by bucket, each trimmed to its
// rows' longest span (Buckets with BucketRows and BucketWidthStep). It returns the outputs at
// the kept slots of keep [B·L], with zero rows elsewhere, as [B, L, d]. encode gets the
// trimmed input [n, w, d] and its key mask [n, w] and must return [n, w, d]. Its outputs at
// slots that keep does not keep are dropped.
//
// For an encoder whose output at a kept position depends only on kept positions of the same
// row (self-attention with key padding, position-wise layers), the result equals running
// encode on the full width, up to float rounding. Positional embeddings must be added to x
// before the call, because trimming shifts the slot indices.
func EncodeTrimmed(x *nn.Var, keep []bool, encode func(x *nn.Var, keep *nn.Mask) *nn.Var) *nn.Var {
	shape := x.Shape()
	b, l := shape[0], shape[1]
	buckets := Buckets(Spans(keep, b, l), l, BucketRows, BucketWidthStep)
	if len(buckets) == 0 {
		return x.Tape().Zeros(shape...)
	}
	outputs := make([]*nn.Var, len(buckets))
	for i, bk := range buckets {
		outputs[i] = encode(bk.Trim(x), bk.Mask(x.Tape(), keep, l))
	}
	return Untrim(outputs, buckets, keep, b, l)
}
