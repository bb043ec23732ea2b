package aem

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// Loss records on t the binary cross-entropy of the search batch: each row's target is a
// positive and its training negatives are negatives, and the loss is the mean over the
// batch's rows and their 1+NegativeWidth items. rec is ignored, because the model trains only
// the search task. The single term is "click_src". It returns an error when search is nil or
// empty, a row is not a search sample, or an id lies outside its table.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	if search == nil || search.Size == 0 {
		return nil, nil, fmt.Errorf("%s: Loss got no search batch; the model trains only the search task", m.name)
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

// Score writes M_uqᵀ·c for every candidate c of every row. Every row must be a search sample and
// every row must have the same number of candidates. It returns an error on mismatched lengths,
// a recommendation row, or an id outside its table.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	n := batch.Size
	if len(candidates) != n || len(scores) != n {
		return fmt.Errorf("%s: batch has %d rows but %d candidate lists and %d score lists", m.name, n, len(candidates), len(scores))
	}
	if n == 0 {
		return nil
	}
	c := len(candidates[0])
	ids := make([]int32, 0, n*c)
	for r, row := range candidates {
		if len(row) != c || len(scores[r]) != c {
			return fmt.Errorf("%s: batch row %d has %d candidates and %d scores, want %d of each like row 0", m.name, r, len(row), len(scores[r]), c)
		}
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

// logits returns the [B, width] scores of the items ids lists, width per batch row.
func (m *Model) logits(t *nn.Tape, b *prep.Batch, ids []int32, width int) (*nn.Var, error) {
	personal, err := m.PersonalizedQuery(t, b)
	if err != nil {
		return nil, err
	}
	if err := m.items.CheckIDs(ids); err != nil {
		return nil, fmt.Errorf("%s: candidate items: %w", m.name, err)
	}
	n, d := b.Size, m.opts.Dim
	items := m.items.Forward(t, ids, n, width)
	scores := nn.MatMul(items, nn.Reshape(personal, n, d, 1), false, false)
	return nn.Reshape(scores, n, width), nil
}

// PersonalizedQuery records on t and returns M_uq = λ·q + (1 − λ)·u for every row of b, [B, d].
// It returns an error when a row is not a search sample or an id lies outside its table.
func (m *Model) PersonalizedQuery(t *nn.Tape, b *prep.Batch) (*nn.Var, error) {
	query, err := m.queryEmbedding(t, b)
	if err != nil {
		return nil, err
	}
	user, err := m.userEmbedding(t, b, query)
	if err != nil {
		return nil, err
	}
	lambda := float32(m.opts.QueryWeight)
	return nn.Add(nn.Scale(query, lambda), nn.Scale(user, 1-lambda)), nil
}

// queryEmbedding returns f(q) of each row's query, [B, d].
func (m *Model) queryEmbedding(t *nn.Tape, b *prep.Batch) (*nn.Var, error) {
	n := b.Size
	width := 1
	for r := range n {
		q := b.Query[r]
		if b.Kind[r] != int32(datasets.Search) || q < 0 || int(q) >= len(m.queryLen) {
			return nil, fmt.Errorf("%s: batch row %d (task code %d, query %d) is not a search sample with a query in [0, %d); the model scores only the search task",
				m.name, r, b.Kind[r], q, len(m.queryLen))
		}
		width = max(width, int(m.queryLen[q]))
	}
	words := make([]int32, n*width)
	for r := range n {
		q := int(b.Query[r])
		row := words[r*width : (r+1)*width]
		used := copy(row, m.queryWords[q*m.wordWidth:q*m.wordWidth+int(m.queryLen[q])])
		for j := used; j < width; j++ {
			row[j] = nn.PaddingID
		}
	}
	if err := m.words.CheckIDs(words); err != nil {
		return nil, fmt.Errorf("%s: query words: %w", m.name, err)
	}
	mean := block.MeanRows(t.Param(m.words.Weight), words, n, width)
	if m.queryProj == nil {
		return mean, nil
	}
	return nn.Tanh(m.queryProj.Forward(mean)), nil
}

// userEmbedding returns u, the history items pooled with the attention weights of f(q, i),
// [B, d]. A row without history items gets u = 0.
func (m *Model) userEmbedding(t *nn.Tape, b *prep.Batch, query *nn.Var) (*nn.Var, error) {
	n, d, h := b.Size, m.opts.Dim, m.opts.AttentionHidden
	ids, l := historyItems(b)
	if err := m.items.CheckIDs(ids); err != nil {
		return nil, fmt.Errorf("%s: search history clicks: %w", m.name, err)
	}
	history := m.items.Forward(t, ids, n, l)

	// tanh(W_f·q + b_f) is one d×β matrix per row; iᵀ times it, times W_h, is f(q, i).
	hidden := nn.Tanh(nn.Add(nn.Reshape(nn.MatMul(query, t.Param(m.attnW), false, false), n, d, h), t.Param(m.attnB)))
	logits := nn.Reshape(nn.MatMul(nn.MatMul(history, hidden, false, false), t.Param(m.attnH), false, false), n, l)

	weights := m.attention(t, logits, ids, n, l)
	user := nn.MatMul(nn.Reshape(weights, n, 1, l), history, false, false)
	return nn.Reshape(user, n, d), nil
}

// attention returns the [B, L] attention weights over the history slots. AEM normalises over
// the filled slots; ZAM adds one more slot with logit 0 for the zero vector, and drops that
// slot's weight afterwards because the zero vector adds nothing to u.
func (m *Model) attention(t *nn.Tape, logits *nn.Var, ids []int32, n, l int) *nn.Var {
	if !m.opts.ZeroAttention {
		return nn.MaskedSoftmax(logits, block.KeepMask(t, ids, n, l))
	}
	withZero := nn.Concat(1, logits, t.Zeros(n, 1))
	mask := t.NewMask(n, l+1)
	for r := range n {
		for j, id := range ids[r*l : (r+1)*l] {
			mask.Keep[r*(l+1)+j] = id != nn.PaddingID
		}
		mask.Keep[r*(l+1)+l] = true
	}
	return nn.Narrow(nn.MaskedSoftmax(withZero, mask), 1, 0, l)
}

// historyItems returns the clicked items of each row's search history, oldest session first
// and in click order within a session, left-aligned in rows of width l and padded with
// nn.PaddingID. The width l is the largest count in the batch, at least 1. Dropping the padding
// slots of Batch.SearchClicks before attention saves most of the work, because few sessions
// have the maximum number of clicks. A row's result does not depend on l: padded slots get zero
// attention weight and zero embeddings, so they add exact zeros.
func historyItems(b *prep.Batch) (ids []int32, l int) {
	n, width := b.Size, b.SearchWidth*b.ClickWidth
	l = 1
	for r := range n {
		count := 0
		for _, id := range b.SearchClicks[r*width : (r+1)*width] {
			if id != nn.PaddingID {
				count++
			}
		}
		l = max(l, count)
	}
	ids = make([]int32, n*l)
	for r := range n {
		row := ids[r*l : (r+1)*l]
		j := 0
		for _, id := range b.SearchClicks[r*width : (r+1)*width] {
			if id != nn.PaddingID {
				row[j] = id
				j++
			}
		}
		for ; j < l; j++ {
			row[j] = nn.PaddingID
		}
	}
	return ids, l
}
