// Package fmlprec is the FMLP-Rec baseline (Zhou et al., "Filter-enhanced MLP is All You Need
// for Sequential Recommendation", WWW 2022), a recommender trained without search data.
//
// The model embeds the user's recommendation history (item plus learned position, LayerNorm,
// dropout) and passes it through filter-enhanced blocks. A block takes the real FFT of the
// sequence, multiplies each frequency bin by a learnable complex filter, returns to the time
// domain with the inverse FFT, and applies dropout, a residual connection and LayerNorm, then a
// point-wise feed-forward block. The state at the most recent position is the user vector, and
// a candidate's score is its dot product with the candidate's item embedding (the same table
// as the input embedding).
//
// It trains and scores the recommendation task only and reads only the recommendation
// history. As for every model in this harness, the objective is binary cross-entropy on each
// training positive and its sampled negatives. The authors' code uses a BCE over one sampled
// negative per position instead. The harness-wide objective keeps the comparison about the
// models.
package fmlprec

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/seqrec"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// layerNormEps is the epsilon of every LayerNorm, 1e-12 as in the authors' modules.py.
const layerNormEps = 1e-12

// name prefixes error messages.
const name = "fmlprec"

// Model is FMLP-Rec. Its methods may run on several tapes at once: they only read the
// parameters.
type Model struct {
	cfg      Config
	numItems int
	maxLen   int
	embed    *seqrec.SequenceEmbedding
	blocks   []*filterBlock
}

// filterBlock is one filter-enhanced block: the learnable filter, its LayerNorm and the
// feed-forward block.
type filterBlock struct {
	filterReal, filterImag *nn.Param // [maxLen/2+1, Dim]
	norm                   *layer.LayerNorm
	ffn                    *seqrec.FeedForward
	dropout                float32
}

// New returns FMLP-Rec for data's item catalogue and recommendation history length, with
// weights drawn from cfg.Seed. It returns an error for an invalid cfg or data without items.
func New(data *prep.Prepared, cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if data == nil || data.Dataset == nil || len(data.Dataset.Items) == 0 {
		return nil, fmt.Errorf("%s: prepared data is nil or has no items", name)
	}
	if data.Options.MaxRecHistory < 1 {
		return nil, fmt.Errorf("%s: max_rec_history = %d; the model needs a history of at least 1", name, data.Options.MaxRecHistory)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	m := &Model{cfg: cfg, numItems: len(data.Dataset.Items), maxLen: data.Options.MaxRecHistory}
	m.embed = seqrec.NewSequenceEmbedding("embedding", m.numItems, m.maxLen, cfg.Dim, cfg.InitStd, layerNormEps, cfg.Dropout, rng)
	bins := m.maxLen/2 + 1
	for i := range cfg.Blocks {
		prefix := fmt.Sprintf("blocks.%d", i)
		b := &filterBlock{
			filterReal: &nn.Param{Name: prefix + ".filter.weight_real", Value: nn.NewTensor(bins, cfg.Dim), Decay: true},
			filterImag: &nn.Param{Name: prefix + ".filter.weight_imag", Value: nn.NewTensor(bins, cfg.Dim), Decay: true},
			norm:       layer.NewLayerNorm(prefix+".filter.norm", cfg.Dim),
			dropout:    cfg.Dropout,
		}
		b.norm.Eps = layerNormEps
		layer.Normal(b.filterReal, cfg.InitStd, rng)
		layer.Normal(b.filterImag, cfg.InitStd, rng)
		b.ffn = seqrec.NewFeedForward(prefix+".ffn", cfg.Dim, cfg.Activation, cfg.InitStd, layerNormEps, cfg.Dropout, rng)
		m.blocks = append(m.blocks, b)
	}
	return m, nil
}

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// Params returns the embedding's parameters, then each block's filter, LayerNorm and
// feed-forward parameters.
func (m *Model) Params() []*nn.Param {
	ps := m.embed.Params()
	for _, b := range m.blocks {
		ps = append(ps, b.filterReal, b.filterImag)
		ps = append(ps, b.norm.Params()...)
		ps = append(ps, b.ffn.Params()...)
	}
	return ps
}

// Tasks returns datasets.Rec: the model trains and scores recommendation only.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec} }

// Loss returns the binary cross-entropy of rec's positives and negatives under the model's
// scores, as the term "click_rec". search is ignored. A nil rec gives a zero loss without
// gradient. It returns an error for a batch with a search row or an item outside the
// catalogue.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	if rec == nil || rec.Size == 0 {
		return t.Zeros(), nil, nil
	}
	if err := seqrec.CheckRecBatch(name, rec, m.numItems, m.maxLen, true); err != nil {
		return nil, nil, err
	}
	state := m.Encode(t, rec)
	loss := seqrec.BCELoss(seqrec.DotLogits(m.embed.Items, state, seqrec.TrainIDs(rec)))
	return loss, map[string]*nn.Var{"click_rec": loss}, nil
}

// Score writes the dot product of each row's user vector with each candidate's item
// embedding. The history is encoded once per row for all its candidates. It returns an error
// for a search row, mismatched candidate and score lists, or an item outside the catalogue.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	if err := seqrec.CheckRecBatch(name, batch, m.numItems, m.maxLen, false); err != nil {
		return err
	}
	ids, width, err := seqrec.FlattenCandidates(name, batch, candidates, scores, m.numItems)
	if err != nil || batch.Size == 0 {
		return err
	}
	logits := seqrec.DotLogits(m.embed.Items, m.Encode(t, batch), ids)
	seqrec.CopyScores(scores, 0, logits.Data(), width)
	return nil
}

// Encode returns the user vector of each row of b, [Size, Dim]: the last block's output at
// the most recent history position. The last block computes its residual, LayerNorm and
// feed-forward step at that position only, because no other position reaches the output.
// It panics if b's history width differs from the data's max_rec_history.
func (m *Model) Encode(t *nn.Tape, b *prep.Batch) *nn.Var {
	n, l := b.Size, b.RecWidth
	if l != m.maxLen {
		panic(fmt.Sprintf("%s: batch history width %d, but the model was built for %d", name, l, m.maxLen))
	}
	x := m.embed.Forward(t, b.RecItems[:n*l], n, l)
	for i, blk := range m.blocks {
		x = blk.forward(t, x, i == len(m.blocks)-1)
	}
	if len(m.blocks) == 0 {
		x = nn.Narrow(x, 1, l-1, 1)
	}
	return nn.Reshape(x, n, m.cfg.Dim)
}

// forward applies the block to x [B, L, Dim]. With lastOnly it returns [B, 1, Dim], the
// output at position L−1 alone.
func (blk *filterBlock) forward(t *nn.Tape, x *nn.Var, lastOnly bool) *nn.Var {
	l := x.Shape()[1]
	// The authors' rfft and irfft use norm="ortho" (1/√L each way); numpy's default pair used
	// here scales by 1 and 1/L, and the round trip is the same linear map.
	re, im := nn.RFFT(x)
	re, im = nn.ComplexMul(re, im, t.Param(blk.filterReal), t.Param(blk.filterImag))
	filtered := nn.IRFFT(re, im, l)
	if lastOnly {
		filtered = nn.Narrow(filtered, 1, l-1, 1)
		x = nn.Narrow(x, 1, l-1, 1)
	}
	h := blk.norm.Forward(nn.Add(x, nn.Dropout(filtered, blk.dropout)))
	return blk.ffn.Forward(h)
}
