package dhim

import (
	"fmt"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

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
	clicks := b.SearchClicks[:n*b.SearchWidth*b.ClickWidth]
	if err := m.inputs.checkItems(in.ids[0]); err != nil {
		return nil, fmt.Errorf("dhim: recommendation history: %w", err)
	}
	if err := m.inputs.checkItems(clicks); err != nil {
		return nil, fmt.Errorf("dhim: search history clicks: %w", err)
	}
	in.user = m.inputs.users(t, b)

	queries := block.NewLookup()
	in.sessionQuery = queries.AddAll(in.ids[1])
	target := queries.AddAll(b.Query[:n])
	if len(queries.IDs) > 0 {
		in.queries = m.inputs.queries(t, queries.IDs)
	} else {
		in.queries = t.Zeros(0, d)
	}

	// e_q: gather from the distinct queries with q_φ appended as the last row.
	withRec := nn.Concat(0, in.queries, t.Param(m.recQuery))
	for r := range n {
		if target[r] == nn.PaddingID {
			target[r] = int32(len(queries.IDs))
		}
	}
	in.query = nn.Gather(withRec, target)

	// Recommendation items and clicked items share one table of distinct items.
	items, rows := m.itemTable(t, append(append([]int32(nil), in.ids[0]...), clicks...))
	recRows, clickRows := rows[:len(in.ids[0])], rows[len(in.ids[0]):]
	in.behaviors[0] = nn.Reshape(nn.Gather(items, recRows), n, b.RecWidth, d)
	sessions := nn.Gather(withRec, in.sessionQuery)
	in.behaviors[1] = nn.Reshape(block.SearchBehaviors(sessions, items, clickRows, b.ClickWidth), n, b.SearchWidth, d)
	return in, nil
}
