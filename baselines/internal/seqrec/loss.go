package seqrec

import (
	"fmt"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// BCELoss returns the mean binary cross-entropy of logits [B, C] whose column 0 is each row's
// positive (label 1) and whose other columns are its negatives (label 0). The mean runs over
// all B·C entries, so it is a mean over rows as the trainer requires. It panics unless logits
// is 2-D.
func BCELoss(logits *nn.Var) *nn.Var {
	shape := logits.Shape()
	if len(shape) != 2 {
		panic(fmt.Sprintf("seqrec: BCELoss: logits %v, want [B, C]", shape))
	}
	targets := logits.Tape().Zeros(shape...)
	labels := targets.Data()
	for row := range shape[0] {
		labels[row*shape[1]] = 1
	}
	return nn.BCEWithLogits(logits, targets, nil)
}

// DotLogits returns the dot product of each row's state with the embeddings of its C
// candidates: state is [B, d], ids holds B·C item ids row by row, and the result is [B, C].
func DotLogits(items *layer.Embedding, state *nn.Var, ids []int32) *nn.Var {
	b, d := state.Shape()[0], state.Shape()[1]
	c := len(ids) / b
	candidates := items.Forward(state.Tape(), ids, b, c)                      // [B, C, d]
	logits := nn.MatMul(candidates, nn.Reshape(state, b, d, 1), false, false) // [B, C, 1]
	return nn.Reshape(logits, b, c)
}
