// Package bsarec is the BSARec baseline (Shin et al., "An Attentive Inductive Bias for
// Sequential Recommendation beyond the Self-Attention", AAAI 2024), a recommender trained
// without search data.
//
// The model embeds the user's recommendation history (item plus learned position, LayerNorm,
// dropout) and passes it through BSARec blocks. Each block mixes two branches with weight
// Alpha. The frequency-domain branch keeps the low-frequency part of the sequence (the first
// C/2+1 bins of its real FFT) and rescales the rest by a learned β² per channel, then applies
// dropout, a residual connection and LayerNorm. The other branch is causal multi-head
// self-attention with dropout, residual and LayerNorm. A point-wise feed-forward block follows. The state at the most recent
// position is the user vector, and a candidate's score is its dot product with the
// candidate's item embedding (the same table as the input embedding).
//
// It trains and scores the recommendation task only and reads only the recommendation
// history. As for every model in this harness, the objective is binary cross-entropy on each
// training positive and its sampled negatives. The authors' code uses a cross-entropy over
// the whole catalogue instead. The harness-wide objective keeps the comparison about the
// models.
package bsarec

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/seqrec"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// layerNormEps is the epsilon of every LayerNorm, 1e-12 as in the authors' _modules.py.
const layerNormEps = 1e-12

// name prefixes error messages.
const name = "bsarec"

// Model is BSARec. Its methods may run on several tapes at once: they only read the
// parameters.
type Model struct {
	cfg      Config
	numItems int
	maxLen   int
	embed    *seqrec.SequenceEmbedding
	blocks   []*block
	// lowPass is the [maxLen/2+1, 1] indicator of the low-frequency bins, read-only.
	lowPass *nn.Tensor
}

// block is one BSARec block.
type block struct {
	sqrtBeta *nn.Param // [Dim]; the high frequencies are scaled by its square
	freqNorm *layer.LayerNorm
	attn     *layer.MultiheadAttention
	attnNorm *layer.LayerNorm
	ffn      *seqrec.FeedForward
	dropout  float32
	alpha    float32
}

// New returns BSARec for data's item catalogue and recommendation history length, with
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
	m.lowPass = nn.NewTensor(bins, 1)
	for k := range min(cfg.C/2+1, bins) {
		m.lowPass.Data[k] = 1
	}
	for i := range cfg.Layers {
		m.blocks = append(m.blocks, newBlock(fmt.Sprintf("blocks.%d", i), cfg, rng))
	}
	return m, nil
}

// newBlock draws one block's weights: linear weights from N(0, InitStd²) with zero biases and
// √β from N(0, 1), as the authors' code initialises them.
func newBlock(prefix string, cfg Config, rng *rand.Rand) *block {
	b := &block{
		sqrtBeta: &nn.Param{Name: prefix + ".filter.sqrt_beta", Value: nn.NewTensor(cfg.Dim), Decay: true},
		freqNorm: layer.NewLayerNorm(prefix+".filter.norm", cfg.Dim),
		attn:     layer.NewMultiheadAttention(prefix+".attention", cfg.Dim, cfg.Heads, cfg.AttentionDropout, rng),
		attnNorm: layer.NewLayerNorm(prefix+".attention.norm", cfg.Dim),
		dropout:  cfg.Dropout,
		alpha:    cfg.Alpha,
	}
	b.freqNorm.Eps, b.attnNorm.Eps = layerNormEps, layerNormEps
	layer.Normal(b.sqrtBeta, 1, rng)
	layer.Normal(b.attn.InProj.Weight, cfg.InitStd, rng)
	layer.Normal(b.attn.OutProj.Weight, cfg.InitStd, rng)
	b.ffn = seqrec.NewFeedForward(prefix+".ffn", cfg.Dim, cfg.Activation, cfg.InitStd, layerNormEps, cfg.Dropout, rng)
	return b
}

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// Params returns the embedding's parameters, then each block's √β, filter LayerNorm,
// attention, attention LayerNorm and feed-forward parameters.
func (m *Model) Params() []*nn.Param {
	ps := m.embed.Params()
	for _, b := range m.blocks {
		ps = append(ps, b.sqrtBeta)
		ps = append(ps, layer.Collect(b.freqNorm, b.attn, b.attnNorm, b.ffn)...)
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
