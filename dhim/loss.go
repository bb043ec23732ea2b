package dhim

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// Loss records one training step's loss on t: L_total = L^R + λ1·L^S (eq. 23, with the L2 term
// left to the optimizer's weight decay), where L^t = L_Click^t + α·L_Align + β·L_con + κ·L_Q
// (eq. 22). L_Click^t is the binary cross-entropy over each row's positive (Target, label 1)
// and its NegativeWidth negatives (label 0), averaged over the batch's rows. The auxiliary
// losses are computed on the same batch (on the recommendation batch only with
// AuxRecBatch); in-batch negatives come from the batch's other rows. A single-task variant
// trains its task with weight 1. Terms are named click_rec, align_rec, con_rec, lq_rec and
// the same with _src. A nil or empty batch is skipped; Loss returns an error if no batch of
// a trained task has rows, or a batch does not fit the prepared data the model was built on.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	terms := make(map[string]*nn.Var)
	var total *nn.Var
	for k, b := range [2]*prep.Batch{rec, search} {
		kind := datasets.Kind(k)
		if b == nil || b.Size == 0 || !m.trains(kind) {
			continue
		}
		lk, err := m.taskLoss(t, b, k, terms)
		if err != nil {
			return nil, nil, fmt.Errorf("dhim: %s batch: %w", kind, err)
		}
		if k == 1 && m.joint() {
			lk = nn.Scale(lk, float32(m.opts.Lambda1))
		}
		total = sum(total, lk)
	}
	if total == nil {
		return nil, nil, fmt.Errorf("dhim: Loss got no rows of a trained task (%v); pass a non-empty batch", m.tasks)
	}
	return total, terms, nil
}

// taskLoss returns L^k of eq. 22 on batch b and records its terms.
func (m *Model) taskLoss(t *nn.Tape, b *prep.Batch, k int, terms map[string]*nn.Var) (*nn.Var, error) {
	e, err := m.encode(t, b)
	if err != nil {
		return nil, err
	}
	suffix := "_" + scenarioNames[k]
	rows, negs := b.Size, b.NegativeWidth
	c := 1 + negs
	ids := make([]int32, rows*c)
	labels := t.Zeros(rows * c)
	for r := range rows {
		ids[r*c] = b.Target[r]
		copy(ids[r*c+1:(r+1)*c], b.Negatives[r*negs:(r+1)*negs])
		labels.Data()[r*c] = 1
	}
	if err := m.inputs.checkItems(ids); err != nil {
		return nil, fmt.Errorf("targets and negatives: %w", err)
	}
	click := nn.BCEWithLogits(m.scoreCandidates(t, e, ids, c, k), labels, nil)
	terms["click"+suffix] = click
	loss := click
	if m.opts.AuxBatches == AuxRecBatch && k == 1 {
		return loss, nil
	}

	if m.joint() && m.opts.Alpha > 0 {
		align := m.fusion.AlignLoss(t, e.fusion)
		terms["align"+suffix] = align
		loss = nn.Add(loss, nn.Scale(align, float32(m.opts.Alpha)))
	}
	if con := m.conLoss(e); con != nil && m.opts.Beta > 0 {
		terms["con"+suffix] = con
		loss = nn.Add(loss, nn.Scale(con, float32(m.opts.Beta)))
	}
	if m.opts.QueryAlign && e.active[1] && m.opts.Kappa > 0 {
		if lq := m.queryLoss(t, e); lq != nil {
			terms["lq"+suffix] = lq
			loss = nn.Add(loss, nn.Scale(lq, float32(m.opts.Kappa)))
		}
	}
	return loss, nil
}

// Score writes scores[i][j], the logit of candidates[i][j] for batch row i under the task of
// the row's Kind. Each row's histories are encoded once for all its candidates, and no
// operation mixes rows, so a row's scores do not depend on the other rows of the batch. It
// returns an error when rows have different numbers of candidates, a scores row is too
// short, a row belongs to a task the model does not train, or an id is out of range.
func (m *Model) Score(t *nn.Tape, b *prep.Batch, candidates [][]int32, scores [][]float32) error {
	rows := b.Size
	if len(candidates) < rows || len(scores) < rows {
		return fmt.Errorf("dhim: Score: %d candidate lists and %d score rows for a batch of %d", len(candidates), len(scores), rows)
	}
	if rows == 0 {
		return nil
	}
	c := len(candidates[0])
	ids := make([]int32, rows*c)
	var kinds [2]bool
	for r := range rows {
		if len(candidates[r]) != c || len(scores[r]) < c {
			return fmt.Errorf("dhim: Score: row %d has %d candidates and %d score slots, want %d of each", r, len(candidates[r]), len(scores[r]), c)
		}
		kind := datasets.Kind(b.Kind[r])
		if kind != datasets.Rec && kind != datasets.Search || !m.trains(kind) {
			return fmt.Errorf("dhim: Score: row %d is of task %s, but the model trains %v", r, kind, m.tasks)
		}
		kinds[kind] = true
		copy(ids[r*c:], candidates[r])
	}
	if err := m.inputs.checkItems(ids); err != nil {
		return fmt.Errorf("dhim: Score: candidates: %w", err)
	}
	e, err := m.encode(t, b)
	if err != nil {
		return err
	}
	var logits [2][]float32
	for k := range 2 {
		if kinds[k] {
			logits[k] = m.scoreCandidates(t, e, ids, c, k).Data()
		}
	}
	for r := range rows {
		copy(scores[r][:c], logits[b.Kind[r]][r*c:(r+1)*c])
	}
	return nil
}
