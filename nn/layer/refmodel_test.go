package layer

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// refConfig sets the sizes of refModel, the model of the reference training step (the shape
// bench/peer/reference_step.py runs in PyTorch).
type refConfig struct {
	items, dim, heads, feedForward int
	dropout                        float32
	embedStd                       float64
	// headUsesLast feeds the GRU's last valid state to the head next to the pooled vector and
	// the target. The reference step leaves it out, as the PyTorch peer does.
	headUsesLast bool
}

// refModel embeds a history, encodes it with a transformer layer and a GRU, pools the GRU
// states with DIN attention against the target item and scores the target with an MLP head.
type refModel struct {
	cfg     refConfig
	items   *Embedding
	encoder *TransformerEncoderLayer
	gru     *GRU
	pool    *DINAttention
	head    *MLP
}

func newRefModel(cfg refConfig, rng *rand.Rand) *refModel {
	headIn := 2 * cfg.dim
	if cfg.headUsesLast {
		headIn += cfg.dim
	}
	return &refModel{
		cfg:   cfg,
		items: NewEmbedding("item_embedding", cfg.items, cfg.dim, cfg.embedStd, rng),
		encoder: NewTransformerEncoderLayer("encoder", TransformerConfig{
			Dim: cfg.dim, Heads: cfg.heads, FeedForward: cfg.feedForward, Dropout: cfg.dropout}, rng),
		gru:  NewGRU("gru", cfg.dim, cfg.dim, rng),
		pool: NewDINAttention("pooling", cfg.dim, []int{64, 16}, ActPReLU, rng),
		head: NewMLP("head", MLPConfig{In: headIn, Hidden: []int{128, 64}, Out: 1, Activation: ActReLU}, rng),
	}
}

func (m *refModel) Params() []*nn.Param {
	return Collect(m.items, m.encoder, m.gru, m.pool, m.head)
}

// refBatch is a batch of histories (L ids per row, right-padded with nn.PaddingID), their
// lengths (nil when every history is full), target ids and 0/1 labels.
type refBatch struct {
	history []int32
	lengths []int
	target  []int32
	labels  []float32
	l       int
}

// loss returns the mean BCE-with-logits loss of rows lo..hi of the batch, on tape t.
func (m *refModel) loss(t *nn.Tape, b *refBatch, lo, hi int) *nn.Var {
	n := hi - lo
	hist := m.items.Forward(t, b.history[lo*b.l:hi*b.l], n, b.l)
	var masks AttentionMasks
	var lengths []int
	var keep *nn.Mask
	if b.lengths != nil {
		lengths = b.lengths[lo:hi]
		keep = keyMask(lengths, b.l)
		masks.KeyPadding = keep
	}
	states, last := m.gru.Forward(m.encoder.Forward(hist, masks), lengths)
	query := m.items.Forward(t, b.target[lo:hi])
	features := []*nn.Var{m.pool.Forward(query, states, keep), query}
	if m.cfg.headUsesLast {
		features = append(features, last)
	}
	logits := m.head.Forward(nn.Concat(-1, features...))
	labels := t.Const(&nn.Tensor{Shape: []int{n, 1}, Data: b.labels[lo:hi]})
	return nn.BCEWithLogits(logits, labels, nil)
}
