package layer_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Example encodes a batch of two padded histories: an embedding lookup, a post-LN transformer
// encoder layer with a key-padding mask, and a GRU whose last valid state summarises each
// history.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	items := layer.NewEmbedding("items", 100, 8, 0.1, rng)
	encoder := layer.NewTransformerEncoderLayer("encoder", layer.TransformerConfig{Dim: 8, Heads: 2, FeedForward: 16, Dropout: 0.1}, rng)
	gru := layer.NewGRU("gru", 8, 8, rng)
	params := layer.Collect(items, encoder, gru)

	// Two histories of at most 3 items; the second has 2 items and one padding slot.
	history := []int32{5, 17, 42, 7, 9, nn.PaddingID}
	lengths := []int{3, 2}
	keep := nn.NewMask(2, 3)
	for i, n := range lengths {
		for j := range n {
			keep.Keep[i*3+j] = true
		}
	}

	t := nn.NewTape(1)
	x := items.Forward(t, history, 2, 3)
	states, last := gru.Forward(encoder.Forward(x, layer.AttentionMasks{KeyPadding: keep}), lengths)
	fmt.Println("parameters:", len(params), "first:", params[0].Name, "third:", params[2].Name)
	fmt.Println("states:", states.Shape(), "last:", last.Shape())
	// Output:
	// parameters: 17 first: items.weight third: encoder.self_attn.in_proj_bias
	// states: [2 3 8] last: [2 8]
}
