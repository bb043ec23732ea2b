package mai

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
	"github.com/srbench/srbench/nn/layer"
)

// Loss records on t the binary cross-entropy of the search batch: each row's target is a
// positive and its training negatives are negatives, and the loss is the mean over the
// batch's rows and their 1+NegativeWidth items. rec is ignored, because the model trains only
// the search task. The single term is "click_src". It returns an error when search is nil or
// empty, a row is not a search sample, or an id lies outside its table.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	if search == nil || search.Size == 0 {
		return nil, nil, fmt.Errorf("mai: Loss got no search batch; the model trains only the search task")
	}
	b := search
	n, k := b.Size, 1+b.NegativeWidth
	ids := make([]int32, n*k)
	for r := range n {
		ids[r*k] = b.Target[r]
		copy(ids[r*k+1:(r+1)*k], b.Negatives[r*b.NegativeWidth:(r+1)*b.NegativeWidth])
	}
	logits, err := m.logits(t, b, ids, k)
	if err != nil {
		return nil, nil, err
	}
	targets := t.Zeros(n, k)
	labels := targets.Data()
	for r := range n {
		labels[r*k] = 1
	}
	loss := nn.BCEWithLogits(logits, targets, nil)
	return loss, map[string]*nn.Var{"click_src": loss}, nil
}

// Score writes s(i) for every candidate i of every row, in chunks of rows with the tape reset
// in between (joint.ScoreInChunks). Every row must be a search sample and every row must have
// the same number of candidates. It returns an error on mismatched lengths, a recommendation
// row, or an id outside its table.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	n := batch.Size
	if len(candidates) != n || len(scores) != n {
		return fmt.Errorf("mai: batch has %d rows but %d candidate lists and %d score lists", n, len(candidates), len(scores))
	}
	if n == 0 {
		return nil
	}
	c := len(candidates[0])
	for r, row := range candidates {
		if len(row) != c || len(scores[r]) != c {
			return fmt.Errorf("mai: batch row %d has %d candidates and %d scores, want %d of each like row 0", r, len(row), len(scores[r]), c)
		}
	}
	return joint.ScoreInChunks(t, batch, candidates, scores, m.scoreChunk)
}

// scoreChunk scores the rows of one chunk of Score's batch.
func (m *Model) scoreChunk(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	n, c := batch.Size, len(candidates[0])
	ids := make([]int32, 0, n*c)
	for _, row := range candidates {
		ids = append(ids, row...)
	}
	logits, err := m.logits(t, batch, ids, c)
	if err != nil {
		return err
	}
	values := logits.Data()
	for r := range n {
		copy(scores[r], values[r*c:(r+1)*c])
	}
	return nil
}

// logits returns the [B, width] scores of the items ids lists, width per batch row: the
// concatenated attribute embeddings of each item times the row's matching vectors.
func (m *Model) logits(t *nn.Tape, b *prep.Batch, ids []int32, width int) (*nn.Var, error) {
	match, err := m.MatchVectors(t, b)
	if err != nil {
		return nil, err
	}
	if err := m.attrEmb[0].CheckIDs(ids); err != nil {
		return nil, fmt.Errorf("mai: candidate items: %w", err)
	}
	n, d, numAttrs := b.Size, m.opts.Dim, m.attrs.count
	parts := make([]*nn.Var, numAttrs)
	for a := range numAttrs {
		parts[a] = m.attrEmb[a].Forward(t, m.attrs.lookup(ids, a), n, width)
	}
	items := nn.Concat(2, parts...)
	scores := nn.MatMul(items, nn.Reshape(match, n, numAttrs*d, 1), false, false)
	return nn.Reshape(scores, n, width), nil
}

// MatchVectors records on t and returns, for every row of b, the vectors q + w_a·u^a +
// w_mix·u^mix that the attribute-a embeddings of a candidate are matched against, [B, A, d].
// It returns an error when a row is not a search sample, the batch's search-history width is
// not the one the model was built for, or an id lies outside its table.
func (m *Model) MatchVectors(t *nn.Tape, b *prep.Batch) (*nn.Var, error) {
	if b.SearchWidth != m.searchWidth {
		return nil, fmt.Errorf("mai: batch search-history width %d, want %d of the prepared data the model was built on", b.SearchWidth, m.searchWidth)
	}
	n, s, d, numAttrs := b.Size, b.SearchWidth, m.opts.Dim, m.attrs.count
	query, sessionQuery, err := m.queries(t, b)
	if err != nil {
		return nil, err
	}
	clicks := b.SearchClicks[:n*s*b.ClickWidth]
	if err := m.attrEmb[0].CheckIDs(clicks); err != nil {
		return nil, fmt.Errorf("mai: search history clicks: %w", err)
	}
	keep := block.KeepMask(t, b.SearchQueries[:n*s], n, s)

	// Attribute-centered interests, and the attribute-aware session sequence as their sum plus
	// the session's query.
	interests := make([]*nn.Var, 0, numAttrs+2)
	interests = append(interests, query)
	aware := nn.Reshape(sessionQuery, n, s, d)
	// A user's sessions recur in the histories of the user's later samples, so each distinct
	// click list is averaged once per attribute and then gathered into the history slots.
	distinct, rows := joint.DistinctGroups(clicks, b.ClickWidth)
	for a := range numAttrs {
		seq := t.Zeros(n, s, d)
		if len(distinct) > 0 {
			values := m.attrs.lookup(distinct, a)
			means := block.MeanRows(t.Param(m.attrEmb[a].Weight), values, len(distinct)/b.ClickWidth, b.ClickWidth)
			seq = nn.Reshape(nn.Gather(means, rows), n, s, d)
		}
		interests = append(interests, m.centered[a].forward(t, seq, keep, query))
		aware = nn.Add(aware, seq)
	}
	mixed := m.aware.forward(t, aware, keep, query)
	interests = append(interests, mixed)

	in := interests
	if m.opts.ExplicitSignal {
		in = append(in, m.signals(t, b, clicks))
	}
	weights := nn.Softmax(m.weights.Forward(nn.Concat(1, in...)))

	centered := make([]*nn.Var, numAttrs)
	for a := range numAttrs {
		centered[a] = nn.Reshape(interests[1+a], n, 1, d)
	}
	perAttr := nn.Mul(nn.Concat(1, centered...), nn.Reshape(nn.Narrow(weights, 1, 0, numAttrs), n, numAttrs, 1))
	shared := nn.Add(nn.Reshape(query, n, 1, d), nn.Mul(nn.Reshape(mixed, n, 1, d), nn.Reshape(nn.Narrow(weights, 1, numAttrs, 1), n, 1, 1)))
	return nn.Add(perAttr, shared), nil
}

// signals returns the explicit per-attribute concentrations c [B, A] of each row's history.
func (m *Model) signals(t *nn.Tape, b *prep.Batch, clicks []int32) *nn.Var {
	n, numAttrs := b.Size, m.attrs.count
	width := b.SearchWidth * b.ClickWidth
	c := t.Zeros(n, numAttrs)
	values := c.Data()
	for r := range n {
		for a := range numAttrs {
			values[r*numAttrs+a] = m.attrs.concentration(clicks[r*width:(r+1)*width], a)
		}
	}
	return c
}

// queries returns f(q) of each row's query, [B, d], and of each search-history session's
// query, [B·SearchWidth, d] with zero rows for padding. Each distinct query of the batch is
// embedded once.
func (m *Model) queries(t *nn.Tape, b *prep.Batch) (target, sessions *nn.Var, err error) {
	n, s := b.Size, b.SearchWidth
	index := make(map[int32]int32)
	var distinct []int32
	add := func(q int32) int32 {
		if r, ok := index[q]; ok {
			return r
		}
		r := int32(len(distinct))
		index[q] = r
		distinct = append(distinct, q)
		return r
	}
	targetRows := make([]int32, n)
	for r := range n {
		q := b.Query[r]
		if b.Kind[r] != int32(datasets.Search) || q < 0 || int(q) >= len(m.queryLen) {
			return nil, nil, fmt.Errorf("mai: batch row %d (task code %d, query %d) is not a search sample with a query in [0, %d); the model scores only the search task",
				r, b.Kind[r], q, len(m.queryLen))
		}
		targetRows[r] = add(q)
	}
	sessionRows := make([]int32, n*s)
	for i, q := range b.SearchQueries[:n*s] {
		sessionRows[i] = nn.PaddingID
		if q == nn.PaddingID {
			continue
		}
		if q < 0 || int(q) >= len(m.queryLen) {
			return nil, nil, fmt.Errorf("mai: batch row %d search-history slot %d has query %d outside [0, %d)", i/s, i%s, q, len(m.queryLen))
		}
		sessionRows[i] = add(q)
	}

	// The padding repeats query 0 up to a multiple of joint.ShapeQuantum rows, which no row
	// gathers, so that the tape's buffers of this lookup get few distinct lengths.
	embedded, err := m.embedQueries(t, joint.PadIDs(distinct, 0))
	if err != nil {
		return nil, nil, err
	}
	return nn.Gather(embedded, targetRows), nn.Gather(embedded, sessionRows), nil
}

// embedQueries returns tanh(W_φ·mean(word embeddings) + b_φ) of the listed queries.
func (m *Model) embedQueries(t *nn.Tape, queries []int32) (*nn.Var, error) {
	width := 1
	for _, q := range queries {
		width = max(width, int(m.queryLen[q]))
	}
	words := make([]int32, len(queries)*width)
	for i, q := range queries {
		row := words[i*width : (i+1)*width]
		used := copy(row, m.queryWords[int(q)*m.wordWidth:int(q)*m.wordWidth+int(m.queryLen[q])])
		for j := used; j < width; j++ {
			row[j] = nn.PaddingID
		}
	}
	if err := m.words.CheckIDs(words); err != nil {
		return nil, fmt.Errorf("mai: query words: %w", err)
	}
	mean := block.MeanRows(t.Param(m.words.Weight), words, len(queries), width)
	return nn.Tanh(m.queryProj.Forward(mean)), nil
}

// forward encodes the session sequence x [B, S, d] and pools it by attention from the query
// [B, d]: weights softmax_j((W·q)·h_j / √d) over the kept sessions. A row without sessions
// gets a zero interest.
func (p *profiler) forward(t *nn.Tape, x *nn.Var, keep *nn.Mask, query *nn.Var) *nn.Var {
	shape := x.Shape()
	n, s, d := shape[0], shape[1], shape[2]
	// The encoder runs on the histories trimmed to their filled slots; padded slots of h are
	// zero rows, which the pooling below masks out.
	h := joint.EncodeTrimmed(nn.Add(x, t.Param(p.pos)), keep.Keep, func(h *nn.Var, keep *nn.Mask) *nn.Var {
		for _, l := range p.layers {
			h = l.Forward(h, layer.AttentionMasks{KeyPadding: keep})
		}
		return h
	})
	probe := nn.Reshape(p.queryProj.Forward(query), n, d, 1)
	scores := nn.Reshape(nn.Scale(nn.MatMul(h, probe, false, false), float32(1/math.Sqrt(float64(d)))), n, s)
	weights := nn.MaskedSoftmax(scores, keep)
	return nn.Reshape(nn.MatMul(nn.Reshape(weights, n, 1, s), h, false, false), n, d)
}
