package layer

import "github.com/srbench/srbench/nn"

// LayerNorm is torch.nn.LayerNorm over the last axis with an elementwise affine transform.
type LayerNorm struct {
	// Weight (the gain) is [Dim], initialised to one, and Bias is [Dim], initialised to
	// zero. Neither takes weight decay.
	Weight, Bias *nn.Param
	// Eps is added to the variance before the square root (default nn.LayerNormEps, 1e-5).
	Eps float32
}

// NewLayerNorm returns a LayerNorm named name ("name.weight", "name.bias") over dim features.
func NewLayerNorm(name string, dim int) *LayerNorm {
	l := &LayerNorm{
		Weight: newParam(joinName(name, "weight"), false, dim),
		Bias:   newParam(joinName(name, "bias"), false, dim),
		Eps:    nn.LayerNormEps,
	}
	Fill(l.Weight, 1)
	return l
}

// Forward normalises x [..., Dim] over its last axis. It panics if the last dimension is not
// Dim.
func (l *LayerNorm) Forward(x *nn.Var) *nn.Var {
	t := x.Tape()
	return nn.LayerNorm(x, t.Param(l.Weight), t.Param(l.Bias), l.Eps)
}

// Params returns the weight, then the bias.
func (l *LayerNorm) Params() []*nn.Param { return []*nn.Param{l.Weight, l.Bias} }
