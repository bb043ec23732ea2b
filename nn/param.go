package nn

// Param is a named trainable tensor and the gradient that the last backward pass reduced into it.
//
// Optimizers read Grad and, for row-sparse parameters, only the rows listed in Rows: an embedding
// table's gradient is non-zero only in the rows the batch gathered, and touching only those rows
// keeps a step's cost independent of the table size.
type Param struct {
	// Name is unique within a model, dotted by module ("rec_encoder.layers.0.linear1.weight");
	// checkpoints match parameters by it.
	Name string
	// Value holds the weights.
	Value *Tensor
	// Grad has Value's shape. For a RowSparse parameter only the rows in Rows are meaningful and
	// the others are zero.
	Grad *Tensor
	// RowSparse marks a parameter whose gradient touches only some rows of its first dimension
	// (embedding tables).
	RowSparse bool
	// Rows lists, sorted and without repeats, the rows of a RowSparse parameter that the last
	// backward pass touched.
	Rows []int32
	// Decay reports whether weight decay (the L2 penalty) applies; false for biases and
	// LayerNorm gains, as in UniSAR's and most recommender code.
	Decay bool
}

// Module is anything that owns parameters. Params returns them in a fixed order, so that
// optimizers, checkpoints and gradient reductions visit them identically on every run.
type Module interface {
	Params() []*Param
}
