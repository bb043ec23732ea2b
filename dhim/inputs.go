package dhim

import (
	"fmt"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// queryTable lists the distinct queries of a batch, so that each query's word mean is computed
// once however often it occurs.
type queryTable struct {
	ids   []int32         // distinct query ids in order of first use
	index map[int32]int32 // query id → row in ids
}

// add returns the row of query q, adding it on first use; q = -1 gives nn.PaddingID.
func (qt *queryTable) add(q int32) int32 {
	if q < 0 {
		return nn.PaddingID
	}
	if r, ok := qt.index[q]; ok {
		return r
	}
	r := int32(len(qt.ids))
	qt.ids = append(qt.ids, q)
	qt.index[q] = r
	return r
}

// embedQueries returns the [len(ids), d] mean word embeddings of the table's queries.
func (m *Model) embedQueries(t *nn.Tape, qt *queryTable) *nn.Var {
	width := 1
	for _, q := range qt.ids {
		width = max(width, int(m.queryLen[q]))
	}
	words := make([]int32, len(qt.ids)*width)
	for i, q := range qt.ids {
		row := words[i*width : (i+1)*width]
		n := copy(row, m.queryWords[int(q)*m.wordWidth:int(q)*m.wordWidth+int(m.queryLen[q])])
		for j := n; j < width; j++ {
			row[j] = nn.PaddingID
		}
	}
	return block.MeanRows(t.Param(m.words.Weight), words, len(qt.ids), width)
}

// batchInputs holds the embeddings of one batch that do not depend on candidate items.
type batchInputs struct {
	rows int
	// user is e_u [B, d]; query is e_q [B, d]: the target query's embedding for search rows
	// and q_φ for recommendation rows.
	user, query *nn.Var
	// behaviors are E_r [B, Lr, d] and E_s [B, Ls, d]; ids mark their padding slots.
	behaviors [2]*nn.Var
	ids       [2][]int32
	// queries are the batch's distinct query embeddings and sessionQuery the row in queries of
	// each search-history slot [B·Ls] (nn.PaddingID for padding).
	queries      *nn.Var
	sessionQuery []int32
	batch        *prep.Batch
}

// embedBatch looks up every embedding of a batch. It returns an error naming the row and value
// when the batch's widths do not match the prepared data the model was built for.
func (m *Model) embedBatch(t *nn.Tape, b *prep.Batch) (*batchInputs, error) {
	if b.RecWidth != m.recWidth || b.SearchWidth != m.srcWidth {
		return nil, fmt.Errorf("dhim: batch history widths %d (rec) and %d (search), want %d and %d of the prepared data the model was built on",
			b.RecWidth, b.SearchWidth, m.recWidth, m.srcWidth)
	}
	n, d := b.Size, m.opts.Dim
	in := &batchInputs{rows: n, batch: b}
	in.ids[0] = b.RecItems[:n*b.RecWidth]
	in.ids[1] = b.SearchQueries[:n*b.SearchWidth]
	if err := m.items.CheckIDs(in.ids[0]); err != nil {
		return nil, fmt.Errorf("dhim: recommendation history: %w", err)
	}
	in.user = m.users.Forward(t, b.User[:n])

	qt := &queryTable{index: make(map[int32]int32)}
	in.sessionQuery = make([]int32, len(in.ids[1]))
	for i, q := range in.ids[1] {
		in.sessionQuery[i] = qt.add(q)
	}
	target := make([]int32, n)
	for r := range n {
		target[r] = qt.add(b.Query[r])
	}
	in.queries = m.embedQueries(t, qt)

	// e_q: gather from the distinct queries with q_φ appended as the last row.
	withRec := nn.Concat(0, in.queries, t.Param(m.recQuery))
	for r := range n {
		if target[r] == nn.PaddingID {
			target[r] = int32(len(qt.ids))
		}
	}
	in.query = nn.Gather(withRec, target)

	in.behaviors[0] = m.items.Forward(t, in.ids[0], n, b.RecWidth)
	clicks := b.SearchClicks[:n*b.SearchWidth*b.ClickWidth]
	if err := m.items.CheckIDs(clicks); err != nil {
		return nil, fmt.Errorf("dhim: search history clicks: %w", err)
	}
	sessions := nn.Gather(in.queries, in.sessionQuery)
	in.behaviors[1] = nn.Reshape(block.SearchBehaviors(sessions, t.Param(m.items.Weight), clicks, b.ClickWidth), n, b.SearchWidth, d)
	return in, nil
}
