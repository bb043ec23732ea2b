package layer

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// Embedding is torch.nn.Embedding with sparse=True: a [Num, Dim] table whose gradient touches
// only the rows a batch looks up, so that lazy (row-sparse) Adam updates cost O(batch), not
// O(Num).
//
// The id nn.PaddingID (−1) looks up a zero row that receives no gradient, which plays the role
// of PyTorch's padding_idx without reserving a row of the table.
type Embedding struct {
	// Weight is the [Num, Dim] table, RowSparse and initialised N(0, std²). Weight decay
	// applies.
	Weight *nn.Param
	// Num is the number of rows (valid ids are 0..Num−1) and Dim the width of a row.
	Num, Dim int
}

// NewEmbedding returns an embedding table named name ("name.weight") of num rows of width dim,
// drawn from N(0, std²) with rng. PyTorch's default std is 1, and the reference step uses 0.01.
func NewEmbedding(name string, num, dim int, std float64, rng *rand.Rand) *Embedding {
	e := &Embedding{Weight: newParam(joinName(name, "weight"), true, num, dim), Num: num, Dim: dim}
	e.Weight.RowSparse = true
	Normal(e.Weight, std, rng)
	return e
}

// Forward looks up ids on tape t and returns their rows as shape [shape..., Dim]. The product
// of shape must be len(ids), and an empty shape means [len(ids)]. The tape reads ids during
// Backward, so they must not change before then. It panics on an id outside [−1, Num) (use
// CheckIDs on data that was not validated) or a shape that does not match len(ids).
func (e *Embedding) Forward(t *nn.Tape, ids []int32, shape ...int) *nn.Var {
	rows := nn.Gather(t.Param(e.Weight), ids)
	if len(shape) == 0 {
		return rows
	}
	full := append(append(make([]int, 0, len(shape)+1), shape...), e.Dim)
	return nn.Reshape(rows, full...)
}

// CheckIDs returns an error naming the first id outside [−1, Num), with its position, or nil.
func (e *Embedding) CheckIDs(ids []int32) error {
	for i, id := range ids {
		if id < nn.PaddingID || int(id) >= e.Num {
			return fmt.Errorf("layer: embedding %q: id %d at position %d is outside [%d, %d); ids must index the table or be %d for padding",
				e.Weight.Name, id, i, nn.PaddingID, e.Num, nn.PaddingID)
		}
	}
	return nil
}

// Params returns the table.
func (e *Embedding) Params() []*nn.Param { return []*nn.Param{e.Weight} }
