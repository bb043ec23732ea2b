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

// FeatureConfig sets the widths of Features; it is block.FeatureConfig.
type FeatureConfig = block.FeatureConfig

// UniSARFeatures returns the widths of UniSAR's public code for KuaiSAR (block.UniSARFeatures).
func UniSARFeatures() FeatureConfig { return block.UniSARFeatures() }

// Features is block.Features with the batch-level helpers of the joint baselines.
type Features struct {
	*block.Features
}

// NewFeatures builds the tables for the prepared data p (see block.NewFeatures).
func NewFeatures(name string, p *prep.Prepared, cfg FeatureConfig, rng *rand.Rand) (*Features, error) {
	f, err := block.NewFeatures(name, Vocabulary(p), cfg, rng)
	if err != nil {
		return nil, err
	}
	return &Features{f}, nil
}

// Vocabulary returns the ids of the prepared data p that a block.Features embeds.
func Vocabulary(p *prep.Prepared) block.Vocabulary {
	ds := p.Dataset
	paths := make([][]int32, len(ds.Items))
	for i, it := range ds.Items {
		paths[i] = it.Categories
	}
	return block.Vocabulary{
		Items: len(ds.Items), ItemCategories: paths, Categories: len(ds.Categories),
		Users: len(ds.Users), UserFeatureCardinality: ds.FeatureCardinality,
		Words: len(ds.Words), QueryWords: p.QueryWords, QueryLen: p.QueryLen, WordWidth: p.Options.MaxQueryWords,
	}
}

// UsersOf returns the user embeddings [B, Dim] of the batch's rows, from the user id and
// the user features.
func (f *Features) UsersOf(t *nn.Tape, batch *prep.Batch) *nn.Var {
	b := batch.Size
	return f.UsersWith(t, batch.User[:b], batch.UserFeatures[:b*batch.FeatureWidth])
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
			if q < -1 || int(q) >= f.Vocab().Queries() {
				return fmt.Errorf("%s: batch query id %d at position %d is outside [-1, %d)", model, q, i, f.Vocab().Queries())
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

// NewXavierLinear returns a Linear layer with bias whose weight is drawn Xavier-normal and
// whose bias is zero, the _init_weights rule of UniSAR's and SESRec's public code.
func NewXavierLinear(name string, in, out int, rng *rand.Rand) *layer.Linear {
	return block.XavierLinear(name, in, out, rng)
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
