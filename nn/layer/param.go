package layer

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// joinName returns prefix.name, or name alone when prefix is empty.
func joinName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// newParam returns a zero parameter of the given shape.
func newParam(name string, decay bool, shape ...int) *nn.Param {
	return &nn.Param{Name: name, Value: nn.NewTensor(shape...), Decay: decay}
}

// fans returns PyTorch's fan_in and fan_out of a weight shaped [out, in, ...]: fan_in is the
// second dimension times the receptive field, fan_out the first times the receptive field.
func fans(shape []int) (fanIn, fanOut int) {
	if len(shape) < 2 {
		panic(fmt.Sprintf("layer: fan-in and fan-out need at least 2 dimensions, got shape %v", shape))
	}
	receptive := 1
	for _, s := range shape[2:] {
		receptive *= s
	}
	return shape[1] * receptive, shape[0] * receptive
}

// XavierUniform fills p with U(−a, a), a = gain·sqrt(6 / (fan_in + fan_out)), as
// torch.nn.init.xavier_uniform_ (Glorot and Bengio, 2010). It panics if p has fewer than two
// dimensions.
func XavierUniform(p *nn.Param, gain float64, rng *rand.Rand) {
	fanIn, fanOut := fans(p.Value.Shape)
	Uniform(p, gain*math.Sqrt(6/float64(fanIn+fanOut)), rng)
}

// Uniform fills p with draws from U(−bound, bound), in row-major order.
func Uniform(p *nn.Param, bound float64, rng *rand.Rand) {
	for i := range p.Value.Data {
		p.Value.Data[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

// Normal fills p with draws from N(0, std²), in row-major order.
func Normal(p *nn.Param, std float64, rng *rand.Rand) {
	for i := range p.Value.Data {
		p.Value.Data[i] = float32(rng.NormFloat64() * std)
	}
}

// Fill sets every element of p to v.
func Fill(p *nn.Param, v float32) {
	for i := range p.Value.Data {
		p.Value.Data[i] = v
	}
}

// Collect concatenates the parameters of the modules in the order given. It panics on a nil
// module.
func Collect(modules ...nn.Module) []*nn.Param {
	var out []*nn.Param
	for _, m := range modules {
		out = append(out, m.Params()...)
	}
	return out
}
