package aem

import (
	"errors"
	"fmt"
	"math"
)

// Options holds the hyperparameters of AEM and ZAM. Keys are flat snake_case for experiment
// files. Start from DefaultOptions and override fields, because zero values are not replaced by
// defaults.
type Options struct {
	// Dim is the width d of word, query, item and user embeddings.
	Dim int `toml:"dim"`
	// EmbedStd is the standard deviation of the normal initialisation of the word and item
	// tables.
	EmbedStd float64 `toml:"embed_std"`
	// AttentionHidden is β, the number of hidden units of the attention function f(q, i).
	AttentionHidden int `toml:"attention_hidden"`
	// QueryWeight is λ in M_uq = λ·q + (1 − λ)·u.
	QueryWeight float64 `toml:"query_weight"`
	// QueryProjection selects the query embedding: true gives f(q) = tanh(W_φ·mean(w) + b_φ),
	// false the plain mean of the word embeddings.
	QueryProjection bool `toml:"query_projection"`
	// ZeroAttention adds the zero vector to the attended items, which turns AEM into ZAM.
	ZeroAttention bool `toml:"zero_attention"`
}

// DefaultOptions returns AEM's defaults:
//   - Dim 64, the harness's embedding width;
//   - EmbedStd 0.1, the initialisation DHIM uses in this harness;
//   - AttentionHidden 5;
//   - QueryWeight 0.5, the default λ ("query_weight") of the same authors' HEM code
//     (HEM/main.py in github.com/QingyaoAi/Hierarchical-Embedding-Model-for-Personalized-Product-Search);
//   - QueryProjection true, the f(q) = tanh(W·mean(w) + b) query model of that code
//     (get_fs_from_words), on which AEM and ZAM build;
//   - ZeroAttention false (AEM).
//
// NOTE: the value of β used in the ZAM paper was not available when this was written; 5 is a
// guess within the small range that attention hidden sizes of this form usually take.
func DefaultOptions() Options {
	return Options{
		Dim:             64,
		EmbedStd:        0.1,
		AttentionHidden: 5,
		QueryWeight:     0.5,
		QueryProjection: true,
	}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (o Options) Validate() error {
	var errs []error
	bad := func(key string, value any, want string) {
		errs = append(errs, fmt.Errorf("aem: option %s = %v is invalid; want %s", key, value, want))
	}
	if o.Dim < 1 {
		bad("dim", o.Dim, "at least 1")
	}
	if !(o.EmbedStd > 0) || math.IsInf(o.EmbedStd, 0) {
		bad("embed_std", o.EmbedStd, "a finite positive number")
	}
	if o.AttentionHidden < 1 {
		bad("attention_hidden", o.AttentionHidden, "at least 1")
	}
	if !(o.QueryWeight >= 0 && o.QueryWeight <= 1) {
		bad("query_weight", o.QueryWeight, "a number in [0, 1]")
	}
	return errors.Join(errs...)
}
