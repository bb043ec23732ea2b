// Package sesrec implements SESRec (Si et al., "When Search Meets Recommendation: Learning
// Disentangled Search Representation for Recommendation", SIGIR 2023) as a joint baseline that
// trains on both tasks at once and scores both.
//
// A Model embeds users, items and queries from their fields (package joint), encodes the
// recommendation history (items) and the search history (query plus mean clicked item) with
// one transformer each, and disentangles each history against the other: a co-attention
// between the two encoded histories weighs every position, positions weighted at least 1/n (n
// kept positions) are the history's similar interests and the rest its dissimilar ones, and a
// triplet loss pulls the co-attended summary towards the mean of the similar positions and
// away from the mean of the dissimilar ones. Per candidate item, bilinear target attention
// pools each history three times (all, similar and dissimilar positions), and a task's MLP
// predicts from [rec pools, search pools, user, item], plus the query for search. A query–item
// InfoNCE loss aligns the queries with their clicked items. Each task's loss is
// BCE + QueryItemWeight·L_qi + TripletWeight·L_triplet, and a step's loss is
// L_rec + SearchLossWeight·L_src.
//
// Readings that the reference code (models/SESRec.py) does not settle, because it serves
// recommendation only: search rows use a second MLP whose input adds the query embedding, and
// the two tasks share every other module. Differences from it:
//   - The transformers are layer.TransformerEncoderLayer (ReLU feed-forward, LayerNorm eps
//     1e-5); the reference uses LeakyReLU and eps 1e-8.
//   - A query is its words' mean embedding, projected; the reference adds a query id embedding
//     and a search-source embedding, which the harness's data do not have.
//   - The query–item loss uses the batch's distinct history pairs, at most QueryItemPairs.
package sesrec

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

const name = "sesrec"

// Model is SESRec for one prepared dataset. Its methods match the trainer's Model interface;
// Loss and Score may run concurrently on different tapes.
type Model struct {
	cfg       Config
	features  *joint.Features
	pos       [2]*nn.Param
	encoders  [2][]*layer.TransformerEncoderLayer
	coAttn    *coAttention
	attention [2]*joint.TargetAttention
	queryItem *joint.QueryItemAlign
	heads     [2]*layer.MLP
	numItems  int
	numQuery  int
	widths    [2]int
	params    []*nn.Param
}

// New builds SESRec for the prepared data p with weights drawn from a PCG seeded with seed.
// It returns an error for an invalid config or a dataset without users, items or words.
func New(p *prep.Prepared, cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x736573726563)) // "sesrec"
	f, err := joint.NewFeatures("embedding", p, cfg.Features, rng)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	d := cfg.Features.Dim
	m := &Model{cfg: cfg, features: f, numItems: len(p.Dataset.Items), numQuery: len(p.Dataset.Queries),
		widths: [2]int{p.Options.MaxRecHistory, p.Options.MaxSearchHistory}}
	tc := layer.TransformerConfig{Dim: d, Heads: cfg.Heads, FeedForward: cfg.FFN, Dropout: cfg.Dropout}
	for k, part := range []string{"rec", "src"} {
		m.pos[k] = joint.XavierParam(part+"_pos_emb", m.widths[k], d, rng)
		for i := range cfg.Layers {
			m.encoders[k] = append(m.encoders[k], layer.NewTransformerEncoderLayer(fmt.Sprintf("%s_his_transformer_layer.%d", part, i), tc, rng))
		}
		m.attention[k] = joint.NewTargetAttention(part+"_his_att_pooling", d, rng)
	}
	m.coAttn = newCoAttention("interest_contrast.co_att", d, rng)
	m.queryItem = joint.NewQueryItemAlign("feature_alignment", d, cfg.QueryItemTemp, rng)
	// Rec head input: 3 pools per history, user and item; the search head adds the query.
	for k, in := range []int{8 * d, 9 * d} {
		m.heads[k] = layer.NewMLP([]string{"rec", "src"}[k]+"_fc_layer", layer.MLPConfig{In: in, Hidden: cfg.Head, Out: 1,
			Activation: layer.ActReLU, Dropout: cfg.Dropout}, rng)
	}
	m.params = m.collectParams()
	return m, nil
}

func (m *Model) collectParams() []*nn.Param {
	ps := m.features.Params()
	ps = append(ps, m.pos[0], m.pos[1])
	for _, group := range m.encoders {
		for _, l := range group {
			ps = append(ps, l.Params()...)
		}
	}
	return append(ps, layer.Collect(m.coAttn, m.attention[0], m.attention[1], m.queryItem, m.heads[0], m.heads[1])...)
}

// Params returns every parameter in a fixed order.
func (m *Model) Params() []*nn.Param { return m.params }

// Tasks returns both tasks: the model trains and scores recommendation and search jointly.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec, datasets.Search} }

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// checkBatch returns an error when batch does not fit the prepared data the model was built on.
func (m *Model) checkBatch(batch *prep.Batch) error {
	if batch.RecWidth != m.widths[0] || batch.SearchWidth != m.widths[1] {
		return fmt.Errorf("%s: batch history widths %d (rec) and %d (search), want %d and %d of the prepared data the model was built on",
			name, batch.RecWidth, batch.SearchWidth, m.widths[0], m.widths[1])
	}
	return m.features.CheckBatch(name, batch)
}

// encoded is one batch after the history encoders and the interest split: what every
// candidate of a row shares.
type encoded struct {
	emb *joint.Embedded
	// hist are the encoded histories [B, L, d]; keep their [B, 1, L] masks of kept positions,
	// and similar and dissimilar the masks of each history's interest split.
	hist                      [2]*nn.Var
	keep, similar, dissimilar [2]*nn.Mask
	// weights are the co-attention weights [B, 1, L] of each history.
	weights [2]*nn.Var
}

// encode embeds the batch with the candidates (width per row) and the extra items and queries
// a loss needs, encodes both histories and splits their interests. The encoders run on
// histories trimmed to their filled slots (joint.EncodeTrimmed), and padded slots of hist are
// zero rows.
func (m *Model) encode(t *nn.Tape, batch *prep.Batch, candidates []int32, width int, extraItems, extraQueries []int32) *encoded {
	e := joint.Embed(t, m.features, batch, candidates, width, extraItems, extraQueries)
	b := batch.Size
	enc := &encoded{emb: e}
	inputs := [2]*nn.Var{
		nn.Add(e.Rec, t.Param(m.pos[0])),
		nn.Add(nn.Add(e.SessionQuery, t.Param(m.pos[1])), e.SessionClicks()),
	}
	for k, ids := range [2][]int32{e.RecIDs, e.SearchIDs} {
		enc.keep[k] = joint.RowMask(t, ids, b, m.widths[k])
		// RowMask's [B, 1, L] layout is the flat [B·L] one that EncodeTrimmed reads.
		enc.hist[k] = joint.EncodeTrimmed(inputs[k], enc.keep[k].Keep, func(h *nn.Var, keep *nn.Mask) *nn.Var {
			for _, l := range m.encoders[k] {
				h = l.Forward(h, layer.AttentionMasks{KeyPadding: keep})
			}
			return h
		})
	}
	enc.weights[0], enc.weights[1] = m.coAttn.Forward(enc.hist[0], enc.hist[1], enc.keep[0], enc.keep[1])
	for k := range 2 {
		enc.similar[k], enc.dissimilar[k] = splitInterests(t, enc.weights[k], enc.keep[k])
	}
	return enc
}

// candidateInputs returns the per-candidate input [B·C, 8d] of the recommendation MLP: [rec
// all, rec similar, rec dissimilar, search all, search similar, search dissimilar, user, item].
// The search MLP's input appends the query.
func (m *Model) candidateInputs(enc *encoded) *nn.Var {
	e := enc.emb
	b, c, d := e.Rows, e.CandidateWidth, m.cfg.Features.Dim
	var parts []*nn.Var
	for k := range 2 {
		h := enc.hist[k]
		scores := m.attention[k].Scores(h, e.Candidates)
		for _, keep := range []*nn.Mask{enc.keep[k], enc.similar[k], enc.dissimilar[k]} {
			parts = append(parts, nn.Reshape(joint.Pool(scores, h, keep), b*c, d))
		}
	}
	parts = append(parts, e.Repeat(e.User), nn.Reshape(e.Candidates, b*c, d))
	return nn.Concat(-1, parts...)
}
