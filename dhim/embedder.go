package dhim

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
	"github.com/srbench/srbench/nn/layer"
)

// Input embeddings accepted by Options.Inputs.
const (
	// InputsFeatures embeds entities as UniSAR's public code does, on which DHIM builds. An item
	// joins its id and its first CategoryLevels category levels, and a user its id and user
	// features, each field FieldDim wide and the fields projected to d with a tanh. A query is
	// the projected mean of its word embeddings (block.Features). The joint baselines use the
	// same inputs.
	InputsFeatures = "features"
	// InputsIDs embeds users, items and query words by id alone, d wide, drawn N(0, EmbedStd²);
	// a query is the mean of its word embeddings. This is the paper's text read literally.
	InputsIDs = "ids"
)

// embedder gives the raw user, item and query embeddings e_u, e_i and e_q, each d wide.
type embedder interface {
	// items embeds distinct item ids (no nn.PaddingID), [len(ids), d].
	items(t *nn.Tape, ids []int32) *nn.Var
	// users embeds the batch's rows, [B, d].
	users(t *nn.Tape, b *prep.Batch) *nn.Var
	// queries embeds distinct query ids (no nn.PaddingID), [len(ids), d].
	queries(t *nn.Tape, ids []int32) *nn.Var
	// checkItems returns an error naming the first item id outside the table (−1 is padding).
	checkItems(ids []int32) error
	params() []*nn.Param
}

// newEmbedder builds the embedder that o.Inputs names for the prepared data p.
func newEmbedder(p *prep.Prepared, o Options, rng *rand.Rand) (embedder, error) {
	ds := p.Dataset
	paths := make([][]int32, len(ds.Items))
	for i, it := range ds.Items {
		paths[i] = it.Categories
	}
	v := block.Vocabulary{
		Items: len(ds.Items), ItemCategories: paths, Categories: len(ds.Categories),
		Users: len(ds.Users), UserFeatureCardinality: ds.FeatureCardinality,
		Words: len(ds.Words), QueryWords: p.QueryWords, QueryLen: p.QueryLen, WordWidth: p.Options.MaxQueryWords,
	}
	if o.Inputs == InputsIDs {
		d := o.Dim
		return &idEmbedder{vocab: v,
			user: layer.NewEmbedding("user_emb", v.Users, d, o.EmbedStd, rng),
			item: layer.NewEmbedding("item_emb", v.Items, d, o.EmbedStd, rng),
			word: layer.NewEmbedding("word_emb", v.Words, d, o.EmbedStd, rng),
		}, nil
	}
	cfg := block.FeatureConfig{Dim: o.Dim, FieldDim: o.FieldDim, CategoryLevels: o.CategoryLevels}
	f, err := block.NewFeatures("embedding", v, cfg, rng)
	if err != nil {
		return nil, fmt.Errorf("dhim: %w", err)
	}
	return featureEmbedder{f}, nil
}

// idEmbedder embeds by id alone (InputsIDs).
type idEmbedder struct {
	vocab            block.Vocabulary
	user, item, word *layer.Embedding
}

func (e *idEmbedder) items(t *nn.Tape, ids []int32) *nn.Var { return e.item.Forward(t, ids) }
func (e *idEmbedder) users(t *nn.Tape, b *prep.Batch) *nn.Var {
	return e.user.Forward(t, b.User[:b.Size])
}
func (e *idEmbedder) queries(t *nn.Tape, ids []int32) *nn.Var {
	return block.QueryWordMeans(t.Param(e.word.Weight), e.vocab, ids)
}
func (e *idEmbedder) checkItems(ids []int32) error { return e.item.CheckIDs(ids) }
func (e *idEmbedder) params() []*nn.Param          { return layer.Collect(e.user, e.item, e.word) }

// featureEmbedder embeds with UniSAR's feature fields (InputsFeatures).
type featureEmbedder struct{ f *block.Features }

func (e featureEmbedder) items(t *nn.Tape, ids []int32) *nn.Var { return e.f.Items(t, ids) }
func (e featureEmbedder) users(t *nn.Tape, b *prep.Batch) *nn.Var {
	return e.f.UsersWith(t, b.User[:b.Size], b.UserFeatures[:b.Size*b.FeatureWidth])
}
func (e featureEmbedder) queries(t *nn.Tape, ids []int32) *nn.Var { return e.f.Queries(t, ids) }
func (e featureEmbedder) checkItems(ids []int32) error            { return e.f.ItemID.CheckIDs(ids) }
func (e featureEmbedder) params() []*nn.Param                     { return e.f.Params() }

// embedItems returns the embeddings [len(ids), d] of ids, with zero rows for nn.PaddingID,
// embedding each distinct item once. The ids must be in range (checkItems).
func (m *Model) embedItems(t *nn.Tape, ids []int32) *nn.Var {
	table, rows := m.itemTable(t, ids)
	return nn.Gather(table, rows)
}

// itemTable embeds the distinct items of ids and returns them [U, d] with the row of each id
// (nn.PaddingID for padding).
func (m *Model) itemTable(t *nn.Tape, ids []int32) (*nn.Var, []int32) {
	distinct := block.NewLookup()
	rows := distinct.AddAll(ids)
	if len(distinct.IDs) == 0 {
		return t.Zeros(1, m.opts.Dim), rows
	}
	return m.inputs.items(t, distinct.IDs), rows
}
