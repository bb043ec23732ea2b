package din

import (
	"errors"
	"fmt"

	"github.com/srbench/srbench/nn/layer"
)

// Config sets the size of DIN. Keys are flat snake_case for experiment files; start from
// DefaultConfig, because zero values are not replaced.
type Config struct {
	// Dim is the width of the user embedding and of an item's representation. An item joins an
	// item-id embedding and a category embedding of Dim/2 each, so Dim must be even.
	Dim int `toml:"dim" json:"dim"`
	// AttentionHidden lists the hidden widths of the activation unit's MLP, which maps
	// [q, k, q−k, q⊙k] (4·Dim) to one weight.
	AttentionHidden []int `toml:"attention_hidden" json:"attention_hidden"`
	// HeadHidden lists the hidden widths of the prediction MLP over [user, pooled history,
	// candidate] (3·Dim); a linear output of width 1 follows them.
	HeadHidden []int `toml:"head_hidden" json:"head_hidden"`
	// Activation is the nonlinearity of both MLPs: "prelu", "sigmoid", "relu" or "tanh".
	Activation string `toml:"activation" json:"activation"`
	// Seed seeds the initial weights.
	Seed uint64 `toml:"seed" json:"seed"`
}

// DefaultConfig returns d = 64 (the embedding size DHIM states for its experiments), an
// activation unit MLP [64, 16], a head [128, 64] plus the output unit, and PReLU, which DIN's
// paper uses in both MLPs when Dice is not used. Seed is 1.
//
// NOTE: the [64, 16] and [128, 64, 1] sizes are the harness's setting for DIN in unified
// search and recommendation comparisons, not checked against a published configuration
// file. DIN's own public code (din/model.py in github.com/zhougr1993/DeepInterestNetwork)
// uses [80, 40] for both MLPs with sigmoid units.
func DefaultConfig() Config {
	return Config{Dim: 64, AttentionHidden: []int{64, 16}, HeadHidden: []int{128, 64}, Activation: "prelu", Seed: 1}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("din config: "+format, args...))
	}
	if c.Dim < 2 || c.Dim%2 != 0 {
		add("dim = %d is invalid: want a positive even number (item id and category get dim/2 each)", c.Dim)
	}
	if len(c.AttentionHidden) == 0 {
		add("attention_hidden is empty: want at least one width")
	}
	for i, w := range c.AttentionHidden {
		if w < 1 {
			add("attention_hidden[%d] = %d is invalid: want at least 1", i, w)
		}
	}
	for i, w := range c.HeadHidden {
		if w < 1 {
			add("head_hidden[%d] = %d is invalid: want at least 1", i, w)
		}
	}
	if _, err := c.activation(); err != nil {
		add("%w", err)
	}
	return errors.Join(errs...)
}

// activation returns the parsed Activation. Dice is rejected: it normalises with running
// statistics that must be updated after every step and saved with the weights, and the
// trainer does neither.
func (c Config) activation() (layer.ActivationKind, error) {
	kind, err := layer.ParseActivation(c.Activation)
	if err != nil {
		return 0, fmt.Errorf("activation = %q is invalid: %w", c.Activation, err)
	}
	switch kind {
	case layer.ActPReLU, layer.ActSigmoid, layer.ActReLU, layer.ActTanh:
		return kind, nil
	case layer.ActDice:
		return 0, fmt.Errorf("activation = %q is not supported: Dice needs running statistics that the trainer neither updates nor checkpoints; use \"prelu\"", c.Activation)
	}
	return 0, fmt.Errorf("activation = %q is invalid: use prelu, sigmoid, relu or tanh", c.Activation)
}
