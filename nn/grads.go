package nn

import (
	"fmt"
	"slices"
)

// paramGrad is one tape's share of a parameter's gradient. Its buffers are allocated once and
// reused across steps.
type paramGrad struct {
	p    *Param
	leaf *Var // the Var that Tape.Param returned since the last Reset, or nil
	used bool // listed in Tape.usedParam since the last Reset

	dense     []float32 // dense gradient, meaningful when denseUsed
	denseUsed bool

	// Row-sparse accumulator: rows lists the touched rows in order of first touch, slot maps a
	// row to its index in rows (-1 when untouched), and rowGrad holds len(rows) gradient rows.
	slot    []int32
	rows    []int32
	rowGrad []float32
}

// paramGrad returns t's gradient state for p, creating it on first use, and marks p as used
// in this step.
func (t *Tape) paramGrad(p *Param) *paramGrad {
	if p == nil || p.Value == nil {
		panic("nn: Param: nil parameter or parameter without a value")
	}
	pg := t.params[p]
	if pg == nil {
		pg = &paramGrad{p: p}
		t.params[p] = pg
	}
	if !pg.used {
		pg.used = true
		t.usedParam = append(t.usedParam, pg)
	}
	return pg
}

// denseGrad returns the zeroed dense buffer on first use in a step, then the same buffer.
// A row-sparse parameter gets one only when an op other than Gather reads it. It then costs a
// full clear per step, and all its rows count as touched.
func (pg *paramGrad) denseGrad() []float32 {
	n := len(pg.p.Value.Data)
	if len(pg.dense) != n {
		pg.dense = make([]float32, n)
	} else if !pg.denseUsed {
		clear(pg.dense)
	}
	pg.denseUsed = true
	return pg.dense
}

// sparseRow returns the gradient row for table row r, zeroed when r is touched first.
func (pg *paramGrad) sparseRow(r int32, width int) []float32 {
	if pg.slot == nil {
		pg.slot = make([]int32, pg.p.Value.Shape[0])
		for i := range pg.slot {
			pg.slot[i] = -1
		}
	}
	s := pg.slot[r]
	if s < 0 {
		s = int32(len(pg.rows))
		pg.slot[r] = s
		pg.rows = append(pg.rows, r)
		off := len(pg.rowGrad)
		pg.rowGrad = slices.Grow(pg.rowGrad, width)[:off+width]
		clear(pg.rowGrad[off:])
	}
	return pg.rowGrad[int(s)*width : int(s+1)*width]
}

// reset clears this step's gradient state and keeps the buffers for the next step.
func (pg *paramGrad) reset() {
	pg.leaf = nil
	pg.used = false
	pg.denseUsed = false
	for _, r := range pg.rows {
		pg.slot[r] = -1
	}
	pg.rows = pg.rows[:0]
	pg.rowGrad = pg.rowGrad[:0]
}

// ReduceGrads sets each parameter's Grad to the sum of the tapes' gradients, adding tape 0,
// then tape 1, and so on, so that the result is bit-identical for a fixed number of tapes.
//
// For a RowSparse parameter it writes only the touched rows: it zeroes the rows listed in the
// previous Rows, sets Rows to the sorted union of the rows the tapes touched, and sums those.
// The other rows keep the zeros that earlier calls left, so Grad must not be changed by other
// code between calls. A parameter that no tape used gets a zero gradient (and empty Rows).
// Grad is allocated on first use. It panics if a parameter's Grad has the wrong length.
func ReduceGrads(tapes []*Tape, params []*Param) {
	for _, p := range params {
		n := len(p.Value.Data)
		if p.Grad == nil {
			p.Grad = NewTensor(p.Value.Shape...)
		}
		if len(p.Grad.Data) != n {
			panic(fmt.Sprintf("nn: ReduceGrads: parameter %q has %d gradient elements, want %d", p.Name, len(p.Grad.Data), n))
		}
		if p.RowSparse && len(p.Value.Shape) >= 1 {
			reduceSparse(tapes, p)
		} else {
			reduceDense(tapes, p)
		}
	}
}

func reduceDense(tapes []*Tape, p *Param) {
	g := p.Grad.Data
	clear(g)
	for _, t := range tapes {
		pg := t.params[p]
		if pg == nil || !pg.denseUsed {
			continue
		}
		for i, x := range pg.dense {
			g[i] += x
		}
	}
}

func reduceSparse(tapes []*Tape, p *Param) {
	g := p.Grad.Data
	width := 0
	if rows := p.Value.Shape[0]; rows > 0 {
		width = len(p.Value.Data) / rows
	}
	for _, r := range p.Rows {
		clear(g[int(r)*width : int(r+1)*width])
	}
	p.Rows = p.Rows[:0]
	dense := false
	for _, t := range tapes {
		if pg := t.params[p]; pg != nil {
			p.Rows = append(p.Rows, pg.rows...)
			dense = dense || pg.denseUsed
		}
	}
	if dense {
		p.Rows = p.Rows[:0]
		for r := range p.Value.Shape[0] {
			p.Rows = append(p.Rows, int32(r))
		}
	}
	slices.Sort(p.Rows)
	p.Rows = slices.Compact(p.Rows)
	for _, t := range tapes {
		pg := t.params[p]
		if pg == nil {
			continue
		}
		if pg.denseUsed {
			for i, x := range pg.dense {
				g[i] += x
			}
		}
		for s, r := range pg.rows {
			dst := g[int(r)*width : int(r+1)*width]
			for j, x := range pg.rowGrad[s*width : (s+1)*width] {
				dst[j] += x
			}
		}
	}
}
