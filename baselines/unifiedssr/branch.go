package unifiedssr

import (
	"fmt"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
)

// branchOutput is what a task's branch gives every candidate of a row: the last position's
// output of each encoded sequence ([B, d]; one for recommendation, interaction and query for
// search) and the session correlation loss.
type branchOutput struct {
	last []*nn.Var
	corr *nn.Var
}

// recBranch encodes the recommendation histories of the batch's rows.
func (m *Model) recBranch(t *nn.Tape, batch *prep.Batch, user *nn.Var) branchOutput {
	b, l, d := batch.Size, batch.RecWidth, m.cfg.Dim
	ids := batch.RecItems[:b*l]
	x := m.sequenceInput(t, m.items.Forward(t, ids, b, l), user)
	keys := block.KeepMask(t, ids, b, l)
	enc := joint.EncodeTrimmed(x, keys.Keep, func(x *nn.Var, keep *nn.Mask) *nn.Var {
		return m.encoder.Forward(x, x, keep)
	})
	s := newSessions(t, keys.Keep, b, l, m.cfg.Sessions)
	means, augmented := s.apply(enc)
	last := nn.Reshape(nn.Narrow(augmented, 1, l-1, 1), b, d)
	return branchOutput{last: []*nn.Var{last}, corr: s.intraCorrelation(means)}
}

// searchBranch encodes the search histories of the batch's rows as an interaction branch
// (a padding slot, then each session's mean clicked item) and a query branch (each session's
// query, then the row's own query), both Ls+1 long.
func (m *Model) searchBranch(t *nn.Tape, batch *prep.Batch, user *nn.Var) branchOutput {
	b, ls, d := batch.Size, batch.SearchWidth, m.cfg.Dim
	l := ls + 1
	interactions := nn.Concat(1, t.Zeros(b, 1, d), nn.Reshape(m.clickMeans(t, batch), b, ls, d))
	queryIDs := make([]int32, 0, b*l)
	pKeep, qKeep := t.NewMask(b, l), t.NewMask(b, l)
	for r := range b {
		history := batch.SearchQueries[r*ls : (r+1)*ls]
		queryIDs = append(queryIDs, history...)
		queryIDs = append(queryIDs, batch.Query[r])
		for j, q := range history {
			qKeep.Keep[r*l+j] = q >= 0
			pKeep.Keep[r*l+j+1] = q >= 0
		}
		qKeep.Keep[r*l+ls] = batch.Query[r] >= 0
	}
	queries := nn.Reshape(m.queryMeans(t, queryIDs), b, l, d)
	xp, xq := m.sequenceInput(t, interactions, user), m.sequenceInput(t, queries, user)
	pEnc, qEnc := m.encodePair(t, xp, xq, pKeep, qKeep)
	// Both branches share the interaction branch's windows, as the reference's inter_corr_loss.
	s := newSessions(t, pKeep.Keep, b, l, m.cfg.Sessions)
	pMeans, pAug := s.apply(pEnc)
	qMeans, qAug := s.apply(qEnc)
	corr := nn.Sub(nn.Add(s.intraCorrelation(pMeans), s.intraCorrelation(qMeans)), s.interCorrelation(pMeans, qMeans))
	last := []*nn.Var{nn.Reshape(nn.Narrow(pAug, 1, l-1, 1), b, d), nn.Reshape(nn.Narrow(qAug, 1, l-1, 1), b, d)}
	return branchOutput{last: last, corr: corr}
}

// encodePair runs the Siamese encoder on the interaction branch xp [B, L, d] against the query
// branch xq and the reverse, with key masks pKeep and qKeep [B, L]. Rows are trimmed in
// buckets to the span of qKeep, which covers every slot of pKeep because the query branch
// starts one slot earlier. Slots that a mask does not keep are zero rows in its output.
func (m *Model) encodePair(t *nn.Tape, xp, xq *nn.Var, pKeep, qKeep *nn.Mask) (pEnc, qEnc *nn.Var) {
	b, l := xp.Shape()[0], xp.Shape()[1]
	buckets := joint.Buckets(joint.Spans(qKeep.Keep, b, l), l, joint.BucketRows, joint.BucketWidthStep)
	if len(buckets) == 0 {
		return t.Zeros(xp.Shape()...), t.Zeros(xq.Shape()...)
	}
	pOut := make([]*nn.Var, len(buckets))
	qOut := make([]*nn.Var, len(buckets))
	for i, bk := range buckets {
		p, q := bk.Trim(xp), bk.Trim(xq)
		pOut[i] = m.encoder.Forward(p, q, bk.Mask(t, pKeep.Keep, l))
		qOut[i] = m.encoder.Forward(q, p, bk.Mask(t, qKeep.Keep, l))
	}
	return joint.Untrim(pOut, buckets, pKeep.Keep, b, l), joint.Untrim(qOut, buckets, qKeep.Keep, b, l)
}

// clickMeans returns the mean clicked-item embedding of every search history session,
// [B·Ls, d], with zero rows for sessions without clicks. Each distinct click list is averaged
// once.
func (m *Model) clickMeans(t *nn.Tape, batch *prep.Batch) *nn.Var {
	n := batch.Size * batch.SearchWidth
	distinct, rows := joint.DistinctGroups(batch.SearchClicks[:n*batch.ClickWidth], batch.ClickWidth)
	if len(distinct) == 0 {
		return t.Zeros(n, m.cfg.Dim)
	}
	means := block.MeanRows(t.Param(m.items.Weight), distinct, len(distinct)/batch.ClickWidth, batch.ClickWidth)
	return nn.Gather(means, rows)
}

// branch runs task k's branch on the batch.
func (m *Model) branch(t *nn.Tape, k int, batch *prep.Batch) branchOutput {
	user := m.users.Forward(t, batch.User[:batch.Size])
	if k == int(datasets.Search) {
		return m.searchBranch(t, batch, user)
	}
	return m.recBranch(t, batch, user)
}

// dotScores returns the scores [B, C] of candidates (row-major, width per row) against
// outputs [B, d]: the dot product with each candidate's embedding scaled by √d.
func (m *Model) dotScores(t *nn.Tape, out *nn.Var, candidates []int32, width int) *nn.Var {
	b, d := out.Shape()[0], m.cfg.Dim
	items := nn.Scale(m.items.Forward(t, candidates, b, width), m.scale())
	return nn.Reshape(nn.MatMul(items, nn.Reshape(out, b, d, 1), false, false), b, width)
}

// sampledLoss returns the mean over rows of −log σ(s⁺) − Σ log(1 − σ(s⁻)) for scores [B, C]
// with the positive in column 0: BCE's element mean times C.
func sampledLoss(t *nn.Tape, scores *nn.Var) *nn.Var {
	b, c := scores.Shape()[0], scores.Shape()[1]
	return nn.Scale(nn.BCEWithLogits(scores, joint.Labels(t, b, c), nil), float32(c))
}

// Loss returns L_rec + SearchLossWeight·L_src for one step. A task's loss is its sampled
// loss plus CorrWeight times its session correlation loss; for search the sampled loss is
// w·L(interaction scores) + (1−w)·L(query scores). Terms are named click_rec, corr_rec,
// click_src and corr_src. Either batch may be nil; both nil is an error.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	terms := make(map[string]*nn.Var)
	var total *nn.Var
	suffix := [2]string{"rec", "src"}
	for k, batch := range [2]*prep.Batch{rec, search} {
		if batch == nil || batch.Size == 0 {
			continue
		}
		if err := m.checkBatch(batch); err != nil {
			return nil, nil, err
		}
		items := joint.TrainItems(batch)
		width := 1 + batch.NegativeWidth
		out := m.branch(t, k, batch)
		var click *nn.Var
		weight := float32(1)
		if k == int(datasets.Search) {
			w := m.mixWeight(t)
			p := sampledLoss(t, m.dotScores(t, out.last[0], items, width))
			q := sampledLoss(t, m.dotScores(t, out.last[1], items, width))
			click = nn.Add(nn.Mul(w, p), nn.Mul(nn.AddScalar(nn.Scale(w, -1), 1), q))
			weight = m.cfg.SearchLossWeight
		} else {
			click = sampledLoss(t, m.dotScores(t, out.last[0], items, width))
		}
		terms["click_"+suffix[k]] = click
		terms["corr_"+suffix[k]] = out.corr
		total = joint.AddTerm(total, joint.AddTerm(click, out.corr, m.cfg.CorrWeight), weight)
	}
	if total == nil {
		return nil, nil, fmt.Errorf("%s: Loss got no recommendation and no search rows", name)
	}
	return total, terms, nil
}

// Score writes each candidate's score for the task of its row: the recommendation branch's
// dot product, or the w-weighted mix of the search branches' dot products. It checks the whole
// batch, then scores it in chunks of rows of one task (joint.ScoreInChunks), so each row runs
// only its own task's branch.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	flat, _, err := joint.FlattenCandidates(name, batch, candidates, scores)
	if err != nil || batch.Size == 0 {
		return err
	}
	if err := m.checkBatch(batch); err != nil {
		return err
	}
	if err := m.items.CheckIDs(flat); err != nil {
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
	out := m.branch(t, int(chunk.Kind[0]), chunk)
	var s *nn.Var
	if chunk.Kind[0] == int32(datasets.Search) {
		w := m.mixWeight(t)
		p := m.dotScores(t, out.last[0], flat, width)
		q := m.dotScores(t, out.last[1], flat, width)
		s = nn.Add(nn.Mul(w, p), nn.Mul(nn.AddScalar(nn.Scale(w, -1), 1), q))
	} else {
		s = m.dotScores(t, out.last[0], flat, width)
	}
	return joint.WriteScores(name, s, scores)
}
