package joint

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
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

// Features embeds users, items and queries the way UniSAR's and SESRec's public code do
// (models/Inputs.py of each): every field of an entity has its own embedding table, the
// fields are concatenated and projected to Dim with a tanh. An item's fields are its id and its
// first CategoryLevels category levels, a user's are its id and each user feature, and a query
// is the masked mean of its word embeddings.
//
// Features is read-only after New, so any number of goroutines may use it at once.
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
	queryWords   []int32
	queryLen     []int32
	wordWidth    int
	numQueries   int
}

// NewFeatures builds the tables for the prepared data p, drawing weights from rng. Tables
// are drawn Xavier-normal, as both reference implementations initialise them. It returns an
// error when p has no user, item or word, or when cfg has a non-positive width.
func NewFeatures(name string, p *prep.Prepared, cfg FeatureConfig, rng *rand.Rand) (*Features, error) {
	ds := p.Dataset
	if cfg.Dim <= 0 || cfg.FieldDim <= 0 || cfg.CategoryLevels < 0 {
		return nil, fmt.Errorf("%s: invalid feature widths %+v; Dim and FieldDim must be positive and CategoryLevels at least 0", name, cfg)
	}
	if len(ds.Users) == 0 || len(ds.Items) == 0 || len(ds.Words) == 0 {
		return nil, fmt.Errorf("%s: dataset %s has %d users, %d items and %d words; the model needs at least one of each",
			name, ds.Name, len(ds.Users), len(ds.Items), len(ds.Words))
	}
	f := &Features{Config: cfg, queryWords: p.QueryWords, queryLen: p.QueryLen,
		wordWidth: p.Options.MaxQueryWords, numQueries: len(ds.Queries)}
	f.ItemID = xavierEmbedding(name+".item_id", len(ds.Items), cfg.FieldDim, rng)
	for l := range cfg.CategoryLevels {
		f.Categories = append(f.Categories, xavierEmbedding(fmt.Sprintf("%s.category_%d", name, l), max(len(ds.Categories), 1), cfg.FieldDim, rng))
		ids := make([]int32, len(ds.Items))
		for i, it := range ds.Items {
			ids[i] = nn.PaddingID
			if l < len(it.Categories) {
				ids[i] = it.Categories[l]
			}
		}
		f.itemCategory = append(f.itemCategory, ids)
	}
	f.Users = xavierEmbedding(name+".user_id", len(ds.Users), cfg.FieldDim, rng)
	for i, card := range ds.FeatureCardinality {
		f.UserFeatures = append(f.UserFeatures, xavierEmbedding(fmt.Sprintf("%s.user_feature_%d", name, i), max(card, 1), cfg.FieldDim, rng))
	}
	f.Words = xavierEmbedding(name+".word", len(ds.Words), cfg.FieldDim, rng)
	f.ItemProj = NewXavierLinear(name+".item_trans", (1+cfg.CategoryLevels)*cfg.FieldDim, cfg.Dim, rng)
	f.UserProj = NewXavierLinear(name+".user_trans", (1+len(ds.FeatureCardinality))*cfg.FieldDim, cfg.Dim, rng)
	f.QueryProj = NewXavierLinear(name+".query_trans", cfg.FieldDim, cfg.Dim, rng)
	return f, nil
}

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

// Items returns the embeddings [len(ids), Dim] of the distinct items ids (no nn.PaddingID).
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

// UsersOf returns the user embeddings [B, Dim] of the batch's rows, from the user id and
// the user features.
func (f *Features) UsersOf(t *nn.Tape, batch *prep.Batch) *nn.Var {
	b := batch.Size
	fields := []*nn.Var{f.Users.Forward(t, batch.User[:b])}
	for i, table := range f.UserFeatures {
		codes := make([]int32, b)
		for r := range b {
			codes[r] = batch.UserFeatures[r*batch.FeatureWidth+i]
		}
		fields = append(fields, table.Forward(t, codes))
	}
	return nn.Tanh(f.UserProj.Forward(concatFields(fields)))
}

// Queries returns the embeddings [len(ids), Dim] of the distinct queries ids (no
// nn.PaddingID): the masked mean of each query's word embeddings, projected with a tanh.
func (f *Features) Queries(t *nn.Tape, ids []int32) *nn.Var {
	width := 1
	for _, q := range ids {
		width = max(width, int(f.queryLen[q]))
	}
	words := make([]int32, len(ids)*width)
	for i, q := range ids {
		row := words[i*width : (i+1)*width]
		start := int(q) * f.wordWidth
		n := copy(row, f.queryWords[start:start+int(f.queryLen[q])])
		for j := n; j < width; j++ {
			row[j] = nn.PaddingID
		}
	}
	mean := block.MeanRows(t.Param(f.Words.Weight), words, len(ids), width)
	return nn.Tanh(f.QueryProj.Forward(mean))
}

// CheckBatch returns an error naming the first row and value of batch that the tables cannot
// embed: a user, item, category or query id out of range, or a user feature code above its
// cardinality.
func (f *Features) CheckBatch(model string, batch *prep.Batch) error {
	b := batch.Size
	if err := f.Users.CheckIDs(batch.User[:b]); err != nil {
		return fmt.Errorf("%s: batch users: %w", model, err)
	}
	for _, ids := range [][]int32{batch.Target[:b], batch.RecItems[:b*batch.RecWidth], batch.SearchClicks[:b*batch.SearchWidth*batch.ClickWidth]} {
		if err := f.ItemID.CheckIDs(ids); err != nil {
			return fmt.Errorf("%s: batch items: %w", model, err)
		}
	}
	if len(batch.Negatives) >= b*batch.NegativeWidth {
		if err := f.ItemID.CheckIDs(batch.Negatives[:b*batch.NegativeWidth]); err != nil {
			return fmt.Errorf("%s: batch negatives: %w", model, err)
		}
	}
	for _, ids := range [][]int32{batch.Query[:b], batch.SearchQueries[:b*batch.SearchWidth]} {
		for i, q := range ids {
			if q < -1 || int(q) >= f.numQueries {
				return fmt.Errorf("%s: batch query id %d at position %d is outside [-1, %d)", model, q, i, f.numQueries)
			}
		}
	}
	if len(f.UserFeatures) != batch.FeatureWidth {
		return fmt.Errorf("%s: batch has %d user features, the model was built for %d", model, batch.FeatureWidth, len(f.UserFeatures))
	}
	for r := range b {
		for i, table := range f.UserFeatures {
			if c := batch.UserFeatures[r*batch.FeatureWidth+i]; c < -1 || int(c) >= table.Num {
				return fmt.Errorf("%s: batch row %d user feature %d has code %d outside [-1, %d)", model, r, i, c, table.Num)
			}
		}
	}
	return nil
}

// concatFields joins field embeddings along the last axis, or returns the only one.
func concatFields(fields []*nn.Var) *nn.Var {
	if len(fields) == 1 {
		return fields[0]
	}
	return nn.Concat(-1, fields...)
}

// xavierEmbedding returns a row-sparse table drawn Xavier-normal, std = sqrt(2/(num+dim)), as
// nn.init.xavier_normal_ does for an embedding weight.
func xavierEmbedding(name string, num, dim int, rng *rand.Rand) *layer.Embedding {
	return layer.NewEmbedding(name, num, dim, math.Sqrt(2/float64(num+dim)), rng)
}

// NewXavierLinear returns a Linear layer with bias whose weight is drawn Xavier-normal and
// whose bias is zero, the _init_weights rule of UniSAR's and SESRec's public code.
func NewXavierLinear(name string, in, out int, rng *rand.Rand) *layer.Linear {
	l := layer.NewLinear(name, in, out, true, rng)
	layer.Normal(l.Weight, math.Sqrt(2/float64(in+out)), rng)
	return l
}

// XavierParam returns a [rows, cols] weight drawn Xavier-normal, std = sqrt(2/(rows+cols)),
// with weight decay.
func XavierParam(name string, rows, cols int, rng *rand.Rand) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(rows, cols), Decay: true}
	layer.Normal(p, math.Sqrt(2/float64(rows+cols)), rng)
	return p
}

// ConstParam returns a one-element parameter set to v without weight decay (a learnable
// temperature or mixing weight).
func ConstParam(name string, v float32) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(1)}
	layer.Fill(p, v)
	return p
}
