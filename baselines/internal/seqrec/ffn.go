package seqrec

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Activation names the nonlinearity of FeedForward: "gelu" or "relu", the two values of the
// hidden_act option in the FMLP-Rec and BSARec code.
type Activation string

const (
	// GELU is the default of both papers' code (hidden_act = "gelu").
	GELU Activation = "gelu"
	// ReLU is the alternative their code offers.
	ReLU Activation = "relu"
)

// Validate returns an error unless a is GELU or ReLU.
func (a Activation) Validate() error {
	if a != GELU && a != ReLU {
		return fmt.Errorf("activation %q is invalid; use %q or %q", string(a), GELU, ReLU)
	}
	return nil
}

// Apply returns the activation of x.
//
// NOTE: package nn has no erf, so GELU is the sigmoid approximation x·σ(1.702·x) of Hendrycks
// and Gimpel (2016), whose largest deviation from the exact x·Φ(x) is about 0.02; the
// authors' code uses the exact form.
func (a Activation) Apply(x *nn.Var) *nn.Var {
	if a == ReLU {
		return nn.ReLU(x)
	}
	return nn.Mul(x, nn.Sigmoid(nn.Scale(x, 1.702)))
}

// FeedForward is the point-wise feed-forward block of FMLP-Rec and BSARec:
// LayerNorm(x + Dropout(Linear2(act(Linear1(x))))), with an inner width of 4·Dim.
type FeedForward struct {
	Linear1, Linear2 *layer.Linear    // "name.linear1" [4·Dim, Dim], "name.linear2" [Dim, 4·Dim]
	Norm             *layer.LayerNorm // "name.norm"
	Act              Activation
	Dropout          float32
}

// NewFeedForward returns a block of width dim whose weights are drawn from N(0, std²) with
// zero biases, the initialisation of the authors' code, and whose LayerNorm uses epsilon eps.
func NewFeedForward(name string, dim int, act Activation, std float64, eps, dropout float32, rng *rand.Rand) *FeedForward {
	f := &FeedForward{
		Linear1: layer.NewLinear(name+".linear1", dim, 4*dim, true, rng),
		Linear2: layer.NewLinear(name+".linear2", 4*dim, dim, true, rng),
		Norm:    layer.NewLayerNorm(name+".norm", dim),
		Act:     act,
		Dropout: dropout,
	}
	f.Norm.Eps = eps
	layer.Normal(f.Linear1.Weight, std, rng)
	layer.Normal(f.Linear2.Weight, std, rng)
	return f
}

// Forward applies the block to x [..., Dim].
func (f *FeedForward) Forward(x *nn.Var) *nn.Var {
	h := f.Linear2.Forward(f.Act.Apply(f.Linear1.Forward(x)))
	return f.Norm.Forward(nn.Add(x, nn.Dropout(h, f.Dropout)))
}

// Params returns linear1's, linear2's and the LayerNorm's parameters.
func (f *FeedForward) Params() []*nn.Param { return layer.Collect(f.Linear1, f.Linear2, f.Norm) }
