// Package unifiedssr implements UnifiedSSR (Xie et al., "UnifiedSSR: A Unified Framework of
// Sequential Search and Recommendation", WWW 2024) as a joint baseline that trains on both
// tasks at once and scores both.
//
// One Siamese encoder (pre-LayerNorm layers of self-attention, cross-attention to a second
// sequence and a feed-forward block) serves two branches. A recommendation sample encodes its
// recommendation history's items against themselves. A search sample encodes an interaction
// branch, the mean clicked item of each history session shifted one step later, against a query
// branch, each history session's query followed by the sample's own query, and the reverse, so
// that the last position pairs the latest session with the current query. Every element adds
// the user embedding and a sinusoidal position, and embeddings are scaled by √d. The session
// module cuts each encoded sequence into Sessions windows, adds each window's mean to its
// positions and penalises correlated consecutive windows (and, for search, rewards agreement
// between the branches' windows). A candidate item's score is the dot product of its embedding
// with the last position's output; for search it mixes the two branches with a learned weight w
// kept in [0.1, 0.9]. The loss of a row is −log σ(s⁺) − Σ log(1 − σ(s⁻)) over its positive and
// negatives, plus CorrWeight times the session correlation loss.
//
// Readings of the reference code (github.com/JennyXieJiayi/UnifiedSSR) that had to be guessed,
// because it trains next-item prediction over whole sequences of one product per query:
//   - A search session with several clicked items is the mean of their embeddings.
//   - Only the last position predicts, because the harness's samples each have one target.
//   - Positions are numbered by history slot, so the most recent behaviour always has the last
//     position; the reference numbers from the oldest behaviour.
//   - The session windows scale with the row's own length, not the batch's padded length.
//   - w is 0.1 + 0.8·σ(θ), θ = 0 at start (w = 0.5); the reference clamps a raw parameter.
//   - The encoder's layers are stacked; the reference feeds each layer the encoder's input.
//   - Optimiser and schedule are the harness's (Adam, plateau decay), not the reference's Noam
//     warm-up, and there is no separate pretraining and fine-tuning stage.
package unifiedssr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
	"github.com/srbench/srbench/nn/layer"
)

const name = "unifiedssr"

// Model is UnifiedSSR for one prepared dataset. Its methods match the trainer's Model
// interface; Loss and Score may run concurrently on different tapes.
type Model struct {
	cfg                 Config
	users, items, words *layer.Embedding
	encoder             *siameseEncoder
	// mixLogit is θ of the search score's branch weight w = 0.1 + 0.8·σ(θ).
	mixLogit   *nn.Param
	positions  *nn.Tensor
	queryWords []int32
	queryLen   []int32
	wordWidth  int
	numQuery   int
	widths     [2]int
	params     []*nn.Param
}

// New builds UnifiedSSR for the prepared data p with weights drawn from a PCG seeded with seed.
// Every matrix, embedding tables included, is drawn Xavier-uniform, as the reference's
// pretrain.py initialises them. It returns an error for an invalid config or a dataset without
// users, items or words.
func New(p *prep.Prepared, cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ds := p.Dataset
	if len(ds.Users) == 0 || len(ds.Items) == 0 || len(ds.Words) == 0 {
		return nil, fmt.Errorf("%s: dataset %s has %d users, %d items and %d words; the model needs at least one of each",
			name, ds.Name, len(ds.Users), len(ds.Items), len(ds.Words))
	}
	rng := rand.New(rand.NewPCG(seed, 0x756e69737372)) // "unissr"
	d := cfg.Dim
	m := &Model{cfg: cfg, queryWords: p.QueryWords, queryLen: p.QueryLen, wordWidth: p.Options.MaxQueryWords,
		numQuery: len(ds.Queries), widths: [2]int{p.Options.MaxRecHistory, p.Options.MaxSearchHistory}}
	table := func(name string, rows int) *layer.Embedding {
		e := layer.NewEmbedding(name, rows, d, 1, rng)
		layer.Uniform(e.Weight, math.Sqrt(6/float64(rows+d)), rng)
		return e
	}
	m.users = table("u_embed.lut", len(ds.Users))
	m.items = table("p_embed.lut", len(ds.Items))
	m.words = table("q_t_embed.lut", len(ds.Words))
	m.encoder = newSiameseEncoder("encoder", cfg, rng)
	m.mixLogit = &nn.Param{Name: "next_product_search_w", Value: nn.NewTensor(1)}
	m.positions = sinusoid(max(m.widths[0], m.widths[1]+1), d)
	m.params = append(layer.Collect(m.users, m.items, m.words, m.encoder), m.mixLogit)
	return m, nil
}

// Params returns every parameter in a fixed order.
func (m *Model) Params() []*nn.Param { return m.params }

// Tasks returns both tasks: the model trains and scores recommendation and search jointly.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec, datasets.Search} }

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// checkBatch returns an error naming the first value of batch that the model cannot use.
func (m *Model) checkBatch(batch *prep.Batch) error {
	if batch.RecWidth != m.widths[0] || batch.SearchWidth != m.widths[1] {
		return fmt.Errorf("%s: batch history widths %d (rec) and %d (search), want %d and %d of the prepared data the model was built on",
			name, batch.RecWidth, batch.SearchWidth, m.widths[0], m.widths[1])
	}
	b := batch.Size
	if err := m.users.CheckIDs(batch.User[:b]); err != nil {
		return fmt.Errorf("%s: batch users: %w", name, err)
	}
	for _, ids := range [][]int32{batch.Target[:b], batch.RecItems[:b*batch.RecWidth], batch.SearchClicks[:b*batch.SearchWidth*batch.ClickWidth]} {
		if err := m.items.CheckIDs(ids); err != nil {
			return fmt.Errorf("%s: batch items: %w", name, err)
		}
	}
	if len(batch.Negatives) >= b*batch.NegativeWidth {
		if err := m.items.CheckIDs(batch.Negatives[:b*batch.NegativeWidth]); err != nil {
			return fmt.Errorf("%s: batch negatives: %w", name, err)
		}
	}
	for _, ids := range [][]int32{batch.Query[:b], batch.SearchQueries[:b*batch.SearchWidth]} {
		for i, q := range ids {
			if q < -1 || int(q) >= m.numQuery {
				return fmt.Errorf("%s: batch query id %d at position %d is outside [-1, %d)", name, q, i, m.numQuery)
			}
		}
	}
	return nil
}

// scale is √d, the factor of the reference's Embeddings.
func (m *Model) scale() float32 { return float32(math.Sqrt(float64(m.cfg.Dim))) }

// sequenceInput returns (x + user)·√d + positions, with dropout, for x [B, L, d] and user
// [B, d]: the input of one branch.
func (m *Model) sequenceInput(t *nn.Tape, x, user *nn.Var) *nn.Var {
	b, l, d := x.Shape()[0], x.Shape()[1], x.Shape()[2]
	scaled := nn.Scale(nn.Add(x, nn.Reshape(user, b, 1, d)), m.scale())
	pos := t.Const(&nn.Tensor{Shape: []int{l, d}, Data: m.positions.Data[:l*d]})
	return nn.Dropout(nn.Add(scaled, pos), m.cfg.Dropout)
}

// queryMeans returns the mean word embeddings [len(ids), d] of queries ids (-1 gives a zero
// row), as block.MeanRows computes them. Each distinct query is averaged once, in a list
// padded to a multiple of joint.ShapeQuantum.
func (m *Model) queryMeans(t *nn.Tape, ids []int32) *nn.Var {
	distinct := block.NewLookup()
	rows := distinct.AddAll(ids)
	if len(distinct.IDs) == 0 {
		return t.Zeros(len(ids), m.cfg.Dim)
	}
	ids = joint.PadIDs(distinct.IDs, 0)
	vocab := block.Vocabulary{QueryWords: m.queryWords, QueryLen: m.queryLen, WordWidth: m.wordWidth}
	means := block.QueryWordMeans(t.Param(m.words.Weight), vocab, ids)
	return nn.Gather(means, rows)
}

// mixWeight returns w = 0.1 + 0.8·σ(θ) as a one-element Var.
func (m *Model) mixWeight(t *nn.Tape) *nn.Var {
	return nn.AddScalar(nn.Scale(nn.Sigmoid(t.Param(m.mixLogit)), 0.8), 0.1)
}
