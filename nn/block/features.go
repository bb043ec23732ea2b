package block

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// FeatureConfig sets the widths of Features. In experiment files it is the "features"
// sub-table of a model's options, for example [model.unisar.features] with dim = 32.
type FeatureConfig struct {
	// Dim is the width of every user, item and query embedding after projection.
	Dim int `toml:"dim" json:"dim"`
	// FieldDim is the width of each raw field embedding (ids, categories, user features, query
	// words) before the projection.
	FieldDim int `toml:"field_dim" json:"field_dim"`
	// CategoryLevels is the number of category levels, coarsest first, that join the item id.
	CategoryLevels int `toml:"category_levels" json:"category_levels"`
}

// UniSARFeatures returns the widths of UniSAR's public code for KuaiSAR (utils/const.py in
// github.com/TengShi-RUC/UniSAR): 64-wide embeddings, 32-wide fields, and the first- and
// second-level categories as item features.
func UniSARFeatures() FeatureConfig {
	return FeatureConfig{Dim: 64, FieldDim: 32, CategoryLevels: 2}
}

// Vocabulary lists the ids that a Features block embeds.
type Vocabulary struct {
	// Items is the number of items and ItemCategories[i] item i's category path, coarsest
	// first; Categories is the number of category ids over all levels.
	Items          int
	ItemCategories [][]int32
	Categories     int
	// Users is the number of users and UserFeatureCardinality the number of codes of each user
	// feature.
	Users                  int
	UserFeatureCardinality []int
	// Words is the number of query words. Row q of QueryWords (WordWidth entries) holds the
	// words of query q, of which the first QueryLen[q] are filled.
	Words      int
	QueryWords []int32
	QueryLen   []int32
	WordWidth  int
}

// Queries returns the number of queries in the vocabulary.
func (v Vocabulary) Queries() int { return len(v.QueryLen) }

// Features embeds users, items and queries the way UniSAR's and SESRec's public code do
// (models/Inputs.py of each): every field of an entity has its own embedding table, the
// fields are concatenated and projected to Dim with a tanh. An item's fields are its id and its
// first CategoryLevels category levels, a user's are its id and each user feature, and a query
// is the masked mean of its word embeddings. Items in one category share that category's
// embedding, so a model generalises across them.
//
// Features is read-only after NewFeatures, so any number of goroutines may use it at once.
type Features struct {
	Config FeatureConfig
	// ItemID, Users and Words are the id tables; Categories[l] embeds level-l category ids and
	// UserFeatures[f] the codes of user feature f.
	ItemID, Users, Words *layer.Embedding
	Categories           []*layer.Embedding
	UserFeatures         []*layer.Embedding
	// ItemProj, UserProj and QueryProj project the concatenated fields to Dim.
	ItemProj, UserProj, QueryProj *layer.Linear

	itemCategory [][]int32 // [level][item] category id, or nn.PaddingID past the item's path
	vocab        Vocabulary
}

// NewFeatures builds the tables for vocabulary v, drawing weights from rng. Tables are drawn
// Xavier-normal, as both reference implementations initialise them. It returns an error when v
// has no user, item or word, or when cfg has a non-positive width.
func NewFeatures(name string, v Vocabulary, cfg FeatureConfig, rng *rand.Rand) (*Features, error) {
	if cfg.Dim <= 0 || cfg.FieldDim <= 0 || cfg.CategoryLevels < 0 {
		return nil, fmt.Errorf("%s: invalid feature widths %+v; dim and field_dim must be positive and category_levels at least 0", name, cfg)
	}
	if v.Users == 0 || v.Items == 0 || v.Words == 0 {
		return nil, fmt.Errorf("%s: the data has %d users, %d items and %d words; the model needs at least one of each",
			name, v.Users, v.Items, v.Words)
	}
	if len(v.ItemCategories) != v.Items {
		return nil, fmt.Errorf("%s: %d category paths for %d items; give one path (possibly empty) per item", name, len(v.ItemCategories), v.Items)
	}

	f := &Features{Config: cfg, vocab: v}
	f.ItemID = XavierEmbedding(name+".item_id", v.Items, cfg.FieldDim, rng)
	for l := range cfg.CategoryLevels {
		f.Categories = append(f.Categories, XavierEmbedding(fmt.Sprintf("%s.category_%d", name, l), max(v.Categories, 1), cfg.FieldDim, rng))
		ids := make([]int32, v.Items)
		for i, path := range v.ItemCategories {
			ids[i] = nn.PaddingID
			if l < len(path) {
				ids[i] = path[l]
			}
		}
		f.itemCategory = append(f.itemCategory, ids)
	}

	f.Users = XavierEmbedding(name+".user_id", v.Users, cfg.FieldDim, rng)
	for i, card := range v.UserFeatureCardinality {
		f.UserFeatures = append(f.UserFeatures, XavierEmbedding(fmt.Sprintf("%s.user_feature_%d", name, i), max(card, 1), cfg.FieldDim, rng))
	}
	f.Words = XavierEmbedding(name+".word", v.Words, cfg.FieldDim, rng)

	f.ItemProj = XavierLinear(name+".item_trans", (1+cfg.CategoryLevels)*cfg.FieldDim, cfg.Dim, rng)
	f.UserProj = XavierLinear(name+".user_trans", (1+len(v.UserFeatureCardinality))*cfg.FieldDim, cfg.Dim, rng)
	f.QueryProj = XavierLinear(name+".query_trans", cfg.FieldDim, cfg.Dim, rng)
	return f, nil
}

// Vocab returns the vocabulary the block was built for.
func (f *Features) Vocab() Vocabulary { return f.vocab }

// Params returns the tables, then the projections.
func (f *Features) Params() []*nn.Param {
	ps := layer.Collect(f.ItemID)
	for _, e := range f.Categories {
		ps = append(ps, e.Params()...)
	}
	ps = append(ps, f.Users.Params()...)
	for _, e := range f.UserFeatures {
		ps = append(ps, e.Params()...)
	}
	ps = append(ps, f.Words.Params()...)
	return append(ps, layer.Collect(f.ItemProj, f.UserProj, f.QueryProj)...)
}

// Items returns the embeddings [len(ids), Dim] of items ids, none of them nn.PaddingID. Pass
// each distinct id once: the projection runs once per listed id.
func (f *Features) Items(t *nn.Tape, ids []int32) *nn.Var {
	fields := []*nn.Var{f.ItemID.Forward(t, ids)}
	for l, table := range f.Categories {
		cats := make([]int32, len(ids))
		for i, id := range ids {
			cats[i] = f.itemCategory[l][id]
		}
		fields = append(fields, table.Forward(t, cats))
	}
	return nn.Tanh(f.ItemProj.Forward(concatFields(fields)))
}

// UsersWith returns the user embeddings [len(users), Dim] from the user ids and their feature
// codes, codes holding len(UserFeatures) codes per user with −1 for a missing one.
func (f *Features) UsersWith(t *nn.Tape, users, codes []int32) *nn.Var {
	b, width := len(users), len(f.UserFeatures)
	fields := []*nn.Var{f.Users.Forward(t, users)}
	for i, table := range f.UserFeatures {
		column := make([]int32, b)
		for r := range b {
			column[r] = codes[r*width+i]
		}
		fields = append(fields, table.Forward(t, column))
	}
	return nn.Tanh(f.UserProj.Forward(concatFields(fields)))
}

// Queries returns the embeddings [len(ids), Dim] of queries ids (no nn.PaddingID): the masked
// mean of each query's word embeddings, projected with a tanh.
func (f *Features) Queries(t *nn.Tape, ids []int32) *nn.Var {
	return nn.Tanh(f.QueryProj.Forward(QueryWordMeans(t.Param(f.Words.Weight), f.vocab, ids)))
}

// QueryWordMeans returns the mean word embedding [len(ids), d] of each query in ids (no
// nn.PaddingID), the words coming from v and their rows from words [Words, d].
func QueryWordMeans(words *nn.Var, v Vocabulary, ids []int32) *nn.Var {
	width := 1
	for _, q := range ids {
		width = max(width, int(v.QueryLen[q]))
	}
	flat := make([]int32, len(ids)*width)
	for i, q := range ids {
		row := flat[i*width : (i+1)*width]
		start := int(q) * v.WordWidth
		n := copy(row, v.QueryWords[start:start+int(v.QueryLen[q])])
		for j := n; j < width; j++ {
			row[j] = nn.PaddingID
		}
	}
	return MeanRows(words, flat, len(ids), width)
}

// concatFields joins field embeddings along the last axis, or returns the only one.
func concatFields(fields []*nn.Var) *nn.Var {
	if len(fields) == 1 {
		return fields[0]
	}
	return nn.Concat(-1, fields...)
}

// XavierEmbedding returns a row-sparse table drawn Xavier-normal, std = sqrt(2/(num+dim)), as
// nn.init.xavier_normal_ does for an embedding weight.
func XavierEmbedding(name string, num, dim int, rng *rand.Rand) *layer.Embedding {
	return layer.NewEmbedding(name, num, dim, math.Sqrt(2/float64(num+dim)), rng)
}

// XavierLinear returns a Linear layer with bias whose weight is drawn Xavier-normal and whose
// bias is zero, the _init_weights rule of UniSAR's and SESRec's public code.
func XavierLinear(name string, in, out int, rng *rand.Rand) *layer.Linear {
	l := layer.NewLinear(name, in, out, true, rng)
	layer.Normal(l.Weight, math.Sqrt(2/float64(in+out)), rng)
	return l
}
