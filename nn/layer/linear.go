package layer

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// Linear is torch.nn.Linear: y = x·Wᵀ + b over the last axis of x.
//
// The weight is stored [out, in] as in PyTorch, so state_dict shapes carry over, and the
// products pass BLAS transpose flags instead of copying. The layout costs nothing in BLAS
// efficiency: either layout needs one transposed-B product per training step, because with
// [out, in] the forward pass is x·Wᵀ and the input gradient dy·W, while with [in, out] the
// forward pass is x·W and the input gradient dy·Wᵀ. The weight gradient is a transposed-A
// product in both.
type Linear struct {
	// Weight is [Out, In], initialised Xavier-uniform. Weight decay applies.
	Weight *nn.Param
	// Bias is [Out], initialised to zero, or nil for a layer without bias.
	Bias *nn.Param
	// In and Out are the input and output widths.
	In, Out int
}

// NewLinear returns a Linear layer named name ("name.weight", "name.bias") with Xavier-uniform
// weights (gain 1) drawn from rng and a zero bias when bias is true. PyTorch's own default is
// Kaiming-uniform with a = √5, while Xavier keeps the output's scale independent of the width.
func NewLinear(name string, in, out int, bias bool, rng *rand.Rand) *Linear {
	return newLinearNamed(joinName(name, "weight"), joinName(name, "bias"), in, out, bias, rng)
}

// newLinearNamed is NewLinear with explicit parameter names, for layers whose PyTorch names do
// not follow the "name.weight" pattern (MultiheadAttention's in_proj_weight).
func newLinearNamed(weightName, biasName string, in, out int, bias bool, rng *rand.Rand) *Linear {
	l := &Linear{Weight: newParam(weightName, true, out, in), In: in, Out: out}
	XavierUniform(l.Weight, 1, rng)
	if bias {
		l.Bias = newParam(biasName, false, out)
	}
	return l
}

// Forward returns x·Wᵀ + b for x [..., In] as [..., Out]. It panics if x's last dimension is
// not In.
func (l *Linear) Forward(x *nn.Var) *nn.Var {
	t := x.Tape()
	if l.Bias == nil {
		return nn.Affine(x, t.Param(l.Weight), nil)
	}
	return nn.Affine(x, t.Param(l.Weight), t.Param(l.Bias))
}

// Params returns the weight, then the bias if any.
func (l *Linear) Params() []*nn.Param {
	if l.Bias == nil {
		return []*nn.Param{l.Weight}
	}
	return []*nn.Param{l.Weight, l.Bias}
}
