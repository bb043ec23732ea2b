package joint

import (
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// Embedded holds the embeddings of one batch. Every distinct item and query is embedded once
// (Items, Queries) and gathered into the per-row layouts.
type Embedded struct {
	// Items [U, d] and Queries [Q, d] embed ItemRows.IDs and QueryRows.IDs, padded to a
	// multiple of ShapeQuantum rows (PadIDs).
	Items, Queries       *nn.Var
	ItemRows, QueryRows  *block.Lookup
	User                 *nn.Var // [B, d]
	Rec                  *nn.Var // [B, Lr, d] recommendation history items
	SessionQuery         *nn.Var // [B, Ls, d] search history queries
	ClickRows            []int32 // [B·Ls·K] rows in Items of the sessions' clicked items
	ClickWidth           int     // K, the clicked items kept per session
	Candidates           *nn.Var // [B, C, d]
	CandidateRows        []int32 // [B·C] rows in Items of the candidates
	Query                *nn.Var // [B, d] the sample's query; zero for recommendation rows
	RecIDs, SearchIDs    []int32 // [B·Lr] and [B·Ls]: history ids, nn.PaddingID marking padding
	HasQuery             []bool  // [B] whether the row has a query (a search sample)
	Rows, CandidateWidth int

	clickMeans *nn.Var // [B·Ls, d], built on first use by sessionClicks
}

// Embed embeds batch and the candidates (row-major, width per row). extraItems and
// extraQueries are embedded too, so that a loss can gather them from Items and Queries through
// ItemRows and QueryRows. Ids must be in range (Features.CheckBatch).
func Embed(t *nn.Tape, f *Features, batch *prep.Batch, candidates []int32, width int, extraItems, extraQueries []int32) *Embedded {
	b := batch.Size
	e := &Embedded{ItemRows: block.NewLookup(), QueryRows: block.NewLookup(), Rows: b, CandidateWidth: width}
	e.RecIDs = batch.RecItems[:b*batch.RecWidth]
	e.SearchIDs = batch.SearchQueries[:b*batch.SearchWidth]
	recRows := e.ItemRows.AddAll(e.RecIDs)
	e.ClickRows = e.ItemRows.AddAll(batch.SearchClicks[:b*batch.SearchWidth*batch.ClickWidth])
	e.ClickWidth = batch.ClickWidth
	e.CandidateRows = e.ItemRows.AddAll(candidates)
	e.ItemRows.AddAll(extraItems)
	sessionRows := e.QueryRows.AddAll(e.SearchIDs)
	queryRows := e.QueryRows.AddAll(batch.Query[:b])
	e.QueryRows.AddAll(extraQueries)
	e.HasQuery = make([]bool, b)
	for r, q := range queryRows {
		e.HasQuery[r] = q != nn.PaddingID
	}

	d := f.Config.Dim
	// The padded rows beyond ItemRows.IDs and QueryRows.IDs repeat id 0, and no one gathers them.
	e.Items = f.Items(t, PadIDs(e.ItemRows.IDs, 0))
	e.User = f.UsersOf(t, batch)
	e.Rec = nn.Reshape(nn.Gather(e.Items, recRows), b, batch.RecWidth, d)
	e.Candidates = nn.Reshape(nn.Gather(e.Items, e.CandidateRows), b, width, d)
	if len(e.QueryRows.IDs) == 0 {
		e.SessionQuery = t.Zeros(b, batch.SearchWidth, d)
		e.Query = t.Zeros(b, d)
		return e
	}
	e.Queries = f.Queries(t, PadIDs(e.QueryRows.IDs, 0))
	e.SessionQuery = nn.Reshape(nn.Gather(e.Queries, sessionRows), b, batch.SearchWidth, d)
	e.Query = nn.Gather(e.Queries, queryRows)
	return e
}

// SessionClicks returns the mean embedding of each search history session's clicked items,
// [B, Ls, d], with zero rows for sessions without clicks. Each distinct list of clicked items
// is averaged once and then gathered, because a user's sessions recur in the histories of
// all of that user's later samples.
func (e *Embedded) SessionClicks() *nn.Var {
	ls := len(e.SearchIDs) / max(e.Rows, 1)
	d := e.Items.Shape()[1]
	if e.clickMeans == nil {
		distinct, rows := DistinctGroups(e.ClickRows, e.ClickWidth)
		if len(distinct) == 0 {
			e.clickMeans = e.Items.Tape().Zeros(e.Rows*ls, d)
		} else {
			means := block.MeanRows(e.Items, distinct, len(distinct)/e.ClickWidth, e.ClickWidth)
			e.clickMeans = nn.Gather(means, rows)
		}
	}
	return nn.Reshape(e.clickMeans, e.Rows, ls, d)
}

// SearchBehaviors returns the behaviour embedding of each search history session, query plus
// mean clicked item (as block.SearchBehaviors defines it), as [B, Ls, d].
func (e *Embedded) SearchBehaviors() *nn.Var {
	return nn.Add(e.SessionQuery, e.SessionClicks())
}

// QueryOrDefault returns the [B, d] query input of a prediction layer: the sample's query for
// search rows and the learned vector recQuery [1, d] for recommendation rows, as UniSAR's
// rec_query.
func (e *Embedded) QueryOrDefault(recQuery *nn.Var) *nn.Var {
	t := recQuery.Tape()
	isRec := t.Zeros(e.Rows, 1)
	for r, has := range e.HasQuery {
		if !has {
			isRec.Data()[r] = 1
		}
	}
	return nn.Add(e.Query, nn.Mul(isRec, recQuery))
}

// Repeat returns x [B, w] repeated for each of the rows' CandidateWidth candidates, as
// [B·C, w], the layout of per-candidate features.
func (e *Embedded) Repeat(x *nn.Var) *nn.Var {
	return nn.Gather(x, e.CandidateRowOwners())
}

// CandidateRowOwners returns, for each of the B·C candidates, the batch row it belongs to.
func (e *Embedded) CandidateRowOwners() []int32 {
	ids := make([]int32, 0, e.Rows*e.CandidateWidth)
	for r := range e.Rows {
		for range e.CandidateWidth {
			ids = append(ids, int32(r))
		}
	}
	return ids
}
