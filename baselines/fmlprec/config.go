package fmlprec

import (
	"errors"
	"fmt"
	"math"

	"github.com/srbench/srbench/baselines/internal/seqrec"
)

// Config sets the size of FMLP-Rec and its initialisation. Keys are flat snake_case for
// experiment files; start from DefaultConfig, because zero values are not replaced.
type Config struct {
	// Dim is the width of item embeddings and hidden states.
	Dim int `toml:"dim" json:"dim"`
	// Blocks is the number of filter-enhanced blocks.
	Blocks int `toml:"blocks" json:"blocks"`
	// Dropout is the drop probability after the embedding, the filter and the feed-forward
	// block, in [0, 1).
	Dropout float32 `toml:"dropout" json:"dropout"`
	// Activation is the feed-forward nonlinearity, "gelu" or "relu".
	Activation seqrec.Activation `toml:"activation" json:"activation"`
	// InitStd is the standard deviation of the normal initialisation of embeddings, linear
	// weights and the filters.
	InitStd float64 `toml:"init_std" json:"init_std"`
	// Seed seeds the initial weights.
	Seed uint64 `toml:"seed" json:"seed"`
}

// DefaultConfig returns the defaults of the authors' public code (main.py and modules.py in
// github.com/Woeee/FMLP-Rec): hidden_size 64, num_hidden_layers 2 filter blocks,
// hidden_dropout_prob 0.5, hidden_act gelu, initializer_range 0.02 (the filter weights are
// drawn with the same 0.02 there). Seed is 1.
func DefaultConfig() Config {
	return Config{Dim: 64, Blocks: 2, Dropout: 0.5, Activation: seqrec.GELU, InitStd: 0.02, Seed: 1}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (c Config) Validate() error {
	var errs []error
	if c.Dim < 1 {
		errs = append(errs, fmt.Errorf("fmlprec config: dim = %d is invalid: want at least 1", c.Dim))
	}
	if c.Blocks < 0 {
		errs = append(errs, fmt.Errorf("fmlprec config: blocks = %d is invalid: want 0 or more", c.Blocks))
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		errs = append(errs, fmt.Errorf("fmlprec config: dropout = %v is invalid: want a number in [0, 1)", c.Dropout))
	}
	if err := c.Activation.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("fmlprec config: %w", err))
	}
	if !(c.InitStd > 0) || math.IsInf(c.InitStd, 0) {
		errs = append(errs, fmt.Errorf("fmlprec config: init_std = %v is invalid: want a finite positive number", c.InitStd))
	}
	return errors.Join(errs...)
}
