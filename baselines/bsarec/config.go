package bsarec

import (
	"errors"
	"fmt"
	"math"

	"github.com/srbench/srbench/baselines/internal/seqrec"
)

// Config sets the size of BSARec, its inductive bias and its initialisation. Keys are flat
// snake_case for experiment files; start from DefaultConfig, because zero values are not
// replaced.
type Config struct {
	// Dim is the width of item embeddings and hidden states; a multiple of Heads.
	Dim int `toml:"dim" json:"dim"`
	// Layers is the number of BSARec blocks.
	Layers int `toml:"layers" json:"layers"`
	// Heads is the number of self-attention heads.
	Heads int `toml:"heads" json:"heads"`
	// Dropout is the drop probability after the embedding and after each sub-block, in [0, 1).
	Dropout float32 `toml:"dropout" json:"dropout"`
	// AttentionDropout is the drop probability of the attention weights, in [0, 1).
	AttentionDropout float32 `toml:"attention_dropout" json:"attention_dropout"`
	// C sets the low-pass band: the first C/2+1 frequency bins (integer division) are the
	// low frequencies, as the authors' code computes from its option c.
	C int `toml:"c" json:"c"`
	// Alpha weighs the frequency-domain branch against self-attention: the block's output is
	// Alpha·filter + (1−Alpha)·attention, in [0, 1].
	Alpha float32 `toml:"alpha" json:"alpha"`
	// Activation is the feed-forward nonlinearity, "gelu" or "relu".
	Activation seqrec.Activation `toml:"activation" json:"activation"`
	// InitStd is the standard deviation of the normal initialisation of embeddings and linear
	// weights.
	InitStd float64 `toml:"init_std" json:"init_std"`
	// Seed seeds the initial weights.
	Seed uint64 `toml:"seed" json:"seed"`
}

// DefaultConfig returns the defaults of the authors' public code (src/utils.py in
// github.com/yehjin-shin/BSARec): hidden_size 64, num_hidden_layers 2, num_attention_heads 2,
// hidden_dropout_prob 0.5, attention_probs_dropout_prob 0.5, c 3, alpha 0.9, hidden_act gelu,
// initializer_range 0.02. Seed is 1.
func DefaultConfig() Config {
	return Config{
		Dim: 64, Layers: 2, Heads: 2, Dropout: 0.5, AttentionDropout: 0.5,
		C: 3, Alpha: 0.9, Activation: seqrec.GELU, InitStd: 0.02, Seed: 1,
	}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("bsarec config: "+format, args...))
	}
	if c.Heads < 1 {
		add("heads = %d is invalid: want at least 1", c.Heads)
	} else if c.Dim < 1 || c.Dim%c.Heads != 0 {
		add("dim = %d is invalid: want a positive multiple of heads = %d", c.Dim, c.Heads)
	}
	if c.Layers < 0 {
		add("layers = %d is invalid: want 0 or more", c.Layers)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		add("dropout = %v is invalid: want a number in [0, 1)", c.Dropout)
	}
	if !(c.AttentionDropout >= 0 && c.AttentionDropout < 1) {
		add("attention_dropout = %v is invalid: want a number in [0, 1)", c.AttentionDropout)
	}
	if c.C < 0 {
		add("c = %d is invalid: want 0 or more", c.C)
	}
	if !(c.Alpha >= 0 && c.Alpha <= 1) {
		add("alpha = %v is invalid: want a number in [0, 1]", c.Alpha)
	}
	if err := c.Activation.Validate(); err != nil {
		add("%w", err)
	}
	if !(c.InitStd > 0) || math.IsInf(c.InitStd, 0) {
		add("init_std = %v is invalid: want a finite positive number", c.InitStd)
	}
	return errors.Join(errs...)
}
