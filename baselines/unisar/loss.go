package unisar

import (
	"fmt"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// termSuffix names each task in the loss terms, indexed by datasets.Kind.
var termSuffix = [2]string{"rec", "src"}

// Loss returns L_rec + SearchLossWeight·L_src for one step, where each task's loss is
// BCE + AlignWeight·L_align + QueryItemWeight·L_qi over that task's batch. Terms are named
// click_rec, align_rec, query_item_rec and the same with _src. Either batch may be nil; both
// nil is an error.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	terms := make(map[string]*nn.Var)
	var total *nn.Var
	for k, batch := range [2]*prep.Batch{rec, search} {
		if batch == nil || batch.Size == 0 {
			continue
		}
		if err := m.checkBatch(batch); err != nil {
			return nil, nil, err
		}
		taskLoss := m.taskLoss(t, k, batch, terms)
		weight := float32(1)
		if k == int(datasets.Search) {
			weight = m.cfg.SearchLossWeight
		}
		total = joint.AddTerm(total, taskLoss, weight)
	}
	if total == nil {
		return nil, nil, fmt.Errorf("%s: Loss got no recommendation and no search rows", name)
	}
	return total, terms, nil
}

// taskLoss returns task k's loss on its batch and records its terms.
func (m *Model) taskLoss(t *nn.Tape, k int, batch *prep.Batch, terms map[string]*nn.Var) *nn.Var {
	items := joint.TrainItems(batch)
	width := 1 + batch.NegativeWidth
	var pairs []joint.Pair
	var extraItems, extraQueries, negItems, negQueries []int32
	if m.cfg.QueryItemWeight > 0 {
		b := batch.Size
		pairs = joint.HistoryPairs(batch.SearchClicks[:b*batch.SearchWidth*batch.ClickWidth], batch.SearchQueries[:b*batch.SearchWidth],
			batch.ClickWidth, m.cfg.QueryItemPairs, t.Rand())
		negItems = joint.RandomIDs(m.cfg.QueryItemNegatives, m.numItems, t.Rand())
		negQueries = joint.RandomIDs(m.cfg.QueryItemNegatives, m.numQuery, t.Rand())
		extraItems, extraQueries = negItems, negQueries
	}
	enc := m.encode(t, batch, items, width, extraItems, extraQueries)
	logits := nn.Reshape(m.logits(k, m.experts(t, enc, k)), batch.Size, width)
	click := nn.BCEWithLogits(logits, joint.Labels(t, batch.Size, width), nil)
	terms["click_"+termSuffix[k]] = click
	loss := click
	if m.cfg.AlignWeight > 0 {
		align := m.fusion.AlignLoss(t, enc.fusion)
		terms["align_"+termSuffix[k]] = align
		loss = joint.AddTerm(loss, align, m.cfg.AlignWeight)
	}
	if len(pairs) > 0 {
		qi := m.queryItemLoss(enc.emb, pairs, negItems, negQueries)
		terms["query_item_"+termSuffix[k]] = qi
		loss = joint.AddTerm(loss, qi, m.cfg.QueryItemWeight)
	}
	return loss
}

// queryItemLoss gathers the pairs and negatives from the batch's embeddings and returns the
// query–item contrastive loss.
func (m *Model) queryItemLoss(e *joint.Embedded, pairs []joint.Pair, negItems, negQueries []int32) *nn.Var {
	qs := make([]int32, len(pairs))
	is := make([]int32, len(pairs))
	for i, p := range pairs {
		qs[i], is[i] = p.Query, p.Item
	}
	return m.queryItem.Loss(
		nn.Gather(e.Queries, e.QueryRows.AddAll(qs)), nn.Gather(e.Items, e.ItemRows.AddAll(is)),
		nn.Gather(e.Items, e.ItemRows.AddAll(negItems)), nn.Gather(e.Queries, e.QueryRows.AddAll(negQueries)))
}

// Score writes each candidate's logit for the task of its row. It checks the whole batch,
// then scores it in chunks of rows of one task (joint.ScoreInChunks): each chunk's histories
// and PLE run once, then its task's tower and head run on every candidate.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	flat, _, err := joint.FlattenCandidates(name, batch, candidates, scores)
	if err != nil || batch.Size == 0 {
		return err
	}
	if err := m.checkBatch(batch); err != nil {
		return err
	}
	if err := m.features.ItemID.CheckIDs(flat); err != nil {
		return fmt.Errorf("%s: candidates: %w", name, err)
	}
	if _, err := joint.RowsOfKind(name, batch); err != nil {
		return err
	}
	return joint.ScoreInChunks(t, batch, candidates, scores, m.scoreChunk)
}

// scoreChunk scores a checked batch whose rows all have one task.
func (m *Model) scoreChunk(t *nn.Tape, chunk *prep.Batch, candidates [][]int32, scores [][]float32) error {
	flat, width, err := joint.FlattenCandidates(name, chunk, candidates, scores)
	if err != nil {
		return err
	}
	k := int(chunk.Kind[0])
	enc := m.encode(t, chunk, flat, width, nil, nil)
	logits := m.logits(k, m.experts(t, enc, k))
	return joint.WriteScores(name, nn.Reshape(logits, chunk.Size, width), scores)
}
