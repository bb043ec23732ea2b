package nn

import "fmt"

// PaddingID is the id that Gather maps to a zero row without gradient.
const PaddingID = -1

// Gather returns the rows of a 2-D table [V, d] listed in ids, as a [len(ids), d] value
// (embedding lookup); reshape it for batched layouts. An id equal to PaddingID gives a zero row
// and sends no gradient. When table is the leaf of a RowSparse parameter, the gradient is
// row-sparse: only the gathered rows are written, and repeated ids sum. The tape keeps ids until
// Backward, so the caller must not change them before then. It panics if table is not 2-D or an
// id lies outside [-1, V).
func Gather(table *Var, ids []int32) *Var {
	t := table.tape
	if len(table.val.Shape) != 2 {
		panic(fmt.Sprintf("nn: Gather: table has shape %s, want [V, d]", shapeString(table.val.Shape)))
	}
	v, d := table.val.Shape[0], table.val.Shape[1]
	out := t.output(len(ids), d)
	for i, id := range ids {
		if id == PaddingID {
			continue
		}
		if id < 0 || int(id) >= v {
			panic(fmt.Sprintf("nn: Gather: id %d at position %d is outside the table's %d rows (use %d for padding)", id, i, v, PaddingID))
		}
		copy(out.val.Data[i*d:(i+1)*d], table.val.Data[int(id)*d:int(id+1)*d])
	}
	if n := t.record(backwardGather, out, table); n != nil {
		n.a, n.ids = table, ids
	}
	return out
}

func backwardGather(t *Tape, n *node) {
	table := n.a
	d := table.val.Shape[1]
	dy := n.out.grad.Data
	if pg := table.param; pg != nil && pg.p.RowSparse && !pg.denseUsed {
		for i, id := range n.ids {
			if id == PaddingID {
				continue
			}
			row := pg.sparseRow(id, d)
			for j, g := range dy[i*d : (i+1)*d] {
				row[j] += g
			}
		}
		return
	}
	dt := t.gradData(table)
	for i, id := range n.ids {
		if id == PaddingID {
			continue
		}
		row := dt[int(id)*d : int(id+1)*d]
		for j, g := range dy[i*d : (i+1)*d] {
			row[j] += g
		}
	}
}
