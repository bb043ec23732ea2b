package mai

import (
	"errors"
	"fmt"
	"math"
)

// Options holds MAI's hyperparameters. Keys are flat snake_case for experiment files. Start
// from DefaultOptions and override fields, because zero values are not replaced by defaults.
type Options struct {
	// Dim is the width d of every embedding and hidden representation.
	Dim int `toml:"dim"`
	// EmbedStd is the standard deviation of the normal initialisation of the embedding tables.
	EmbedStd float64 `toml:"embed_std"`
	// Heads, Layers, FFN and Dropout configure each profiling transformer encoder.
	Heads   int     `toml:"heads"`
	Layers  int     `toml:"layers"`
	FFN     int     `toml:"ffn"`
	Dropout float64 `toml:"dropout"`
	// WeightHidden is the hidden width of the contribution-weight MLP.
	WeightHidden int `toml:"weight_hidden"`
	// CategoryLevels is the number of category levels used as attributes, coarsest first; 0
	// uses every level present in the dataset.
	CategoryLevels int `toml:"category_levels"`
	// ExplicitSignal feeds the per-attribute concentration c_a to the contribution weights;
	// false leaves it out (an ablation).
	ExplicitSignal bool `toml:"explicit_signal"`
}

// DefaultOptions returns the following values. The MAI paper's own values were not available.
//   - Dim 64, the harness's width for every model, and EmbedStd 0.1, DHIM's initialisation;
//   - UniSAR's transformer settings from its public code: 2 heads, 1 layer, feed-forward width
//     64, dropout 0.1;
//   - WeightHidden 64, every category level, and the explicit signal on.
func DefaultOptions() Options {
	return Options{
		Dim: 64, EmbedStd: 0.1,
		Heads: 2, Layers: 1, FFN: 64, Dropout: 0.1,
		WeightHidden:   64,
		ExplicitSignal: true,
	}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (o Options) Validate() error {
	var errs []error
	bad := func(key string, value any, want string) {
		errs = append(errs, fmt.Errorf("mai: option %s = %v is invalid; want %s", key, value, want))
	}
	if o.Dim < 1 {
		bad("dim", o.Dim, "at least 1")
	}
	if o.Heads < 1 || (o.Dim >= 1 && o.Dim%o.Heads != 0) {
		bad("heads", o.Heads, fmt.Sprintf("a positive divisor of dim (%d)", o.Dim))
	}
	if o.Layers < 1 {
		bad("layers", o.Layers, "at least 1")
	}
	if o.FFN < 1 {
		bad("ffn", o.FFN, "at least 1")
	}
	if !(o.Dropout >= 0 && o.Dropout < 1) {
		bad("dropout", o.Dropout, "a number in [0, 1)")
	}
	if !(o.EmbedStd > 0) || math.IsInf(o.EmbedStd, 0) {
		bad("embed_std", o.EmbedStd, "a finite positive number")
	}
	if o.WeightHidden < 1 {
		bad("weight_hidden", o.WeightHidden, "at least 1")
	}
	if o.CategoryLevels < 0 {
		bad("category_levels", o.CategoryLevels, "0 (every level) or more")
	}
	return errors.Join(errs...)
}
