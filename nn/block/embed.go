package block

import (
	"fmt"

	"github.com/srbench/srbench/nn"
)

// MeanRows returns, for each of n groups of width slots of ids, the mean of the table rows the
// group lists: row g is the mean of table[ids[g·width+j]] over the ids that are not
// nn.PaddingID, and a group with no id is a zero row. The result is [n, d] for a [V, d] table.
// This is the masked mean that gives a query its embedding (the mean of its word embeddings)
// and a search session the mean of its clicked items. Gradients reach the table through
// nn.Gather, so an embedding parameter's gradient stays row-sparse. It panics if len(ids) is not
// n·width or an id is outside [-1, V).
func MeanRows(table *nn.Var, ids []int32, n, width int) *nn.Var {
	if len(ids) != n*width {
		panic(fmt.Sprintf("block: MeanRows: %d ids, want %d groups × %d slots", len(ids), n, width))
	}
	t := table.Tape()
	d := table.Shape()[1]
	rows := nn.Reshape(nn.Gather(table, ids), n, width, d)
	weights := t.Zeros(n, width, 1)
	w := weights.Data()
	for g := range n {
		count := 0
		for _, id := range ids[g*width : (g+1)*width] {
			if id != nn.PaddingID {
				count++
			}
		}
		if count == 0 {
			continue
		}
		inv := 1 / float32(count)
		for j, id := range ids[g*width : (g+1)*width] {
			if id != nn.PaddingID {
				w[g*width+j] = inv
			}
		}
	}
	return nn.SumAxis(nn.Mul(rows, weights), 1, false)
}

// SearchBehaviors returns the behaviour embeddings of search sessions, e_q + mean(C_q): query
// embedding plus the mean embedding of the clicked items. queries is [N, d] with one row per
// session (zero rows for padding), clicks lists width clicked item ids per session padded with
// nn.PaddingID, and items is the item table. A session without clicks contributes only its
// query. The result is [N, d].
func SearchBehaviors(queries, items *nn.Var, clicks []int32, width int) *nn.Var {
	n := queries.Shape()[0]
	return nn.Add(queries, MeanRows(items, clicks, n, width))
}

// KeepMask returns a [B, L] mask whose position (b, j) is kept when ids[b·L+j] is not
// nn.PaddingID: the key-padding mask of a history row. The mask lives in the tape's buffers
// until its next Reset. It panics if len(ids) is not B·L.
func KeepMask(t *nn.Tape, ids []int32, b, l int) *nn.Mask {
	if len(ids) != b*l {
		panic(fmt.Sprintf("block: KeepMask: %d ids, want %d × %d", len(ids), b, l))
	}
	m := t.NewMask(b, l)
	for i, id := range ids {
		m.Keep[i] = id != nn.PaddingID
	}
	return m
}

// MaskedMean returns the mean of x [B, L, d] over the positions that keep [B, L] keeps, as
// [B, d], and whether each row kept any position; a row without one is a zero row.
func MaskedMean(x *nn.Var, keep *nn.Mask) (*nn.Var, []bool) {
	b, l := x.Shape()[0], x.Shape()[1]
	weights := x.Tape().Zeros(b, l, 1)
	valid := make([]bool, b)
	w := weights.Data()
	for r := range b {
		count := 0
		for j := range l {
			if keep.Keep[r*l+j] {
				count++
			}
		}
		if count == 0 {
			continue
		}
		valid[r] = true
		for j := range l {
			if keep.Keep[r*l+j] {
				w[r*l+j] = 1 / float32(count)
			}
		}
	}
	return nn.SumAxis(nn.Mul(x, weights), 1, false), valid
}
