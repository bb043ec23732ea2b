package nn_test

import (
	"fmt"

	"github.com/srbench/srbench/nn"
)

// Example runs one step of logistic regression on an embedding lookup: the forward pass is
// recorded on a tape, Backward computes the gradients, and ReduceGrads stores them in the
// parameters, where an optimizer would read them.
func Example() {
	emb := &nn.Param{Name: "item_emb", Value: nn.NewTensor(4, 2), RowSparse: true}
	copy(emb.Value.Data, []float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8})
	w := &nn.Param{Name: "w", Value: &nn.Tensor{Shape: []int{2, 1}, Data: []float32{1, -1}}, Decay: true}
	params := []*nn.Param{emb, w}

	t := nn.NewTape(1)
	t.Train = true
	x := nn.Gather(t.Param(emb), []int32{2, 0, 2})   // [3, 2]
	logits := nn.MatMul(x, t.Param(w), false, false) // [3, 1]
	labels := t.Const(&nn.Tensor{Shape: []int{3, 1}, Data: []float32{1, 0, 1}})
	loss := nn.BCEWithLogits(logits, labels, nil)
	t.Backward(loss)
	nn.ReduceGrads([]*nn.Tape{t}, params)

	fmt.Printf("loss %.4f\n", loss.Item())
	fmt.Println("touched rows", emb.Rows)
	fmt.Printf("dw %.4f\n", w.Grad.Data)
	t.Reset() // recycle the buffers for the next step
	// Output:
	// loss 0.7111
	// touched rows [0 2]
	// dw [-0.1592 -0.1783]
}
