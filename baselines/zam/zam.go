// Package zam is the zero attention model ZAM for personalized product search (Ai, Hill,
// Vishwanathan and Croft, "A Zero Attention Model for Personalized Product Search", CIKM 2019).
//
// ZAM is AEM with the zero vector added to the items the query attends over. The zero vector's
// attention score is 0, so it adds exp(0) = 1 to the softmax denominator. When no history item
// matches the query, most of the weight goes to the zero vector and the user embedding shrinks
// towards 0, so the attention can choose not to personalize. The model itself lives in package
// aem; this package fixes its configuration and parameter names ("zam.").
package zam

import (
	"fmt"

	"github.com/srbench/srbench/baselines/aem"
	"github.com/srbench/srbench/datasets/prep"
)

// Name prefixes the parameter names of the model.
const Name = "zam"

// DefaultOptions returns aem.DefaultOptions with ZeroAttention set.
func DefaultOptions() aem.Options {
	o := aem.DefaultOptions()
	o.ZeroAttention = true
	return o
}

// New builds ZAM for the prepared data with weights drawn from a generator seeded with seed.
// It returns an error when opts.ZeroAttention is false or aem.New fails.
func New(data *prep.Prepared, opts aem.Options, seed uint64) (*aem.Model, error) {
	if !opts.ZeroAttention {
		return nil, fmt.Errorf("zam: option zero_attention = false is invalid; ZAM attends over the zero vector, so set it or use package aem")
	}
	return aem.New(Name, data, opts, seed)
}
