package layer

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// MLPConfig sets the shape of an MLP.
type MLPConfig struct {
	// In is the input width.
	In int
	// Hidden lists the widths of the hidden layers. Each is Linear, then Activation, then
	// Dropout.
	Hidden []int
	// Out is the width of a final Linear layer without activation, or 0 for none, in which case
	// the last hidden layer is the output.
	Out int
	// Activation is the nonlinearity of every hidden layer.
	Activation ActivationKind
	// Dropout is the drop probability after every hidden activation, in [0, 1).
	Dropout float32
}

// MLP is a stack of Linear layers with a nonlinearity and dropout after each hidden layer, and
// an optional linear output layer: the towers, gates' inputs and heads of the models.
type MLP struct {
	// Layers are the hidden Linear layers, named "name.layers.i".
	Layers []*Linear
	// Activations follow Layers one to one, named "name.activations.i".
	Activations []*Activation
	// Output is the final Linear layer ("name.output"), or nil.
	Output *Linear
	// Dropout is the drop probability after each hidden activation.
	Dropout float32
}

// NewMLP returns an MLP named name with weights drawn from rng. It panics on a non-positive
// width or a dropout outside [0, 1), or when the MLP would have no layer.
func NewMLP(name string, cfg MLPConfig, rng *rand.Rand) *MLP {
	if cfg.Dropout < 0 || cfg.Dropout >= 1 {
		panic(fmt.Sprintf("layer: NewMLP %q: dropout %g outside [0, 1)", name, cfg.Dropout))
	}
	if cfg.In <= 0 || cfg.Out < 0 || (len(cfg.Hidden) == 0 && cfg.Out == 0) {
		panic(fmt.Sprintf("layer: NewMLP %q: invalid sizes in %d, hidden %v, out %d", name, cfg.In, cfg.Hidden, cfg.Out))
	}
	m := &MLP{Dropout: cfg.Dropout}
	in := cfg.In
	for i, h := range cfg.Hidden {
		if h <= 0 {
			panic(fmt.Sprintf("layer: NewMLP %q: hidden width %d at position %d", name, h, i))
		}
		m.Layers = append(m.Layers, NewLinear(fmt.Sprintf("%s.%d", joinName(name, "layers"), i), in, h, true, rng))
		m.Activations = append(m.Activations, NewActivation(fmt.Sprintf("%s.%d", joinName(name, "activations"), i), cfg.Activation, h))
		in = h
	}
	if cfg.Out > 0 {
		m.Output = NewLinear(joinName(name, "output"), in, cfg.Out, true, rng)
	}
	return m
}

// Forward applies the MLP to x [..., In]. Dropout acts only when the tape is in training mode.
func (m *MLP) Forward(x *nn.Var) *nn.Var {
	if len(m.Layers) == 0 {
		return m.Output.Forward(x)
	}
	return m.forwardFrom(m.Layers[0].Forward(x), 0)
}

// firstLinear returns the Linear layer that reads the MLP's input.
func (m *MLP) firstLinear() *Linear {
	if len(m.Layers) == 0 {
		return m.Output
	}
	return m.Layers[0]
}

// forwardFrom continues the MLP from z, the output of the Linear layer at index start (the
// output layer when start equals len(Layers)).
func (m *MLP) forwardFrom(z *nn.Var, start int) *nn.Var {
	for i := start; i < len(m.Layers); i++ {
		if i > start {
			z = m.Layers[i].Forward(z)
		}
		z = nn.Dropout(m.Activations[i].Forward(z), m.Dropout)
	}
	if m.Output != nil && start < len(m.Layers) {
		z = m.Output.Forward(z)
	}
	return z
}

// UpdateRunningStats folds the Dice statistics of every hidden activation (see
// Activation.UpdateRunningStats). It does nothing for other activations.
func (m *MLP) UpdateRunningStats(tapes []*nn.Tape) {
	for _, a := range m.Activations {
		a.UpdateRunningStats(tapes)
	}
}

// Params returns, for each hidden layer, its Linear then its activation's parameters, then
// the output layer's.
func (m *MLP) Params() []*nn.Param {
	var ps []*nn.Param
	for i, l := range m.Layers {
		ps = append(ps, l.Params()...)
		ps = append(ps, m.Activations[i].Params()...)
	}
	if m.Output != nil {
		ps = append(ps, m.Output.Params()...)
	}
	return ps
}
