package seqrec

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// SequenceEmbedding embeds a right-aligned item history as FMLP-Rec and BSARec do (the
// add_position_embedding step of their public code): item embedding plus a learned position
// embedding, then LayerNorm and dropout. Padding slots (item -1) get a zero item vector but
// keep their position vector, as the authors' padding item 0 with padding_idx does.
type SequenceEmbedding struct {
	// Items is the item table ("name.items"), shared with the output layer by the models.
	Items *layer.Embedding
	// Positions is the dense [MaxLen, Dim] position table ("name.positions.weight"). Every
	// step uses all of its rows, so it is not row-sparse.
	Positions *nn.Param
	// Norm is applied to the sum ("name.norm").
	Norm *layer.LayerNorm
	// Dropout is the drop probability after the LayerNorm.
	Dropout float32
}

// NewSequenceEmbedding returns an embedding for histories of maxLen items out of numItems,
// with both tables drawn from N(0, std²) and a LayerNorm with epsilon eps.
func NewSequenceEmbedding(name string, numItems, maxLen, dim int, std float64, eps, dropout float32, rng *rand.Rand) *SequenceEmbedding {
	norm := layer.NewLayerNorm(name+".norm", dim)
	norm.Eps = eps
	e := &SequenceEmbedding{
		Items:     layer.NewEmbedding(name+".items", numItems, dim, std, rng),
		Positions: &nn.Param{Name: name + ".positions.weight", Value: nn.NewTensor(maxLen, dim), Decay: true},
		Norm:      norm,
		Dropout:   dropout,
	}
	layer.Normal(e.Positions, std, rng)
	return e
}

// Forward embeds b histories of length l (items holds b·l ids row by row, oldest first, so
// slot l−1 is the most recent) and returns [b, l, Dim]. It panics if l exceeds the position
// table or an id is outside the item table.
func (e *SequenceEmbedding) Forward(t *nn.Tape, items []int32, b, l int) *nn.Var {
	x := e.Items.Forward(t, items, b, l)
	positions := nn.Narrow(t.Param(e.Positions), 0, 0, l) // [l, Dim]
	x = e.Norm.Forward(nn.Add(x, positions))
	return nn.Dropout(x, e.Dropout)
}

// Params returns the item table, the position table and the LayerNorm's parameters.
func (e *SequenceEmbedding) Params() []*nn.Param {
	return append(append(e.Items.Params(), e.Positions), e.Norm.Params()...)
}
