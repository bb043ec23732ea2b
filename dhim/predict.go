package dhim

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// predictor is the prediction layer: PLE with a tower and head per task (the full model),
// two independent MLPs (w/o PLE), or one MLP for the single trained task (only Rec/Src).
type predictor struct {
	ple *layer.PLE
	// mlps[k] maps task k's PLE output, or its input x without PLE, to one logit; nil for a
	// task the model does not train.
	mlps [2]*layer.MLP
}

func newPredictor(o Options, rng *rand.Rand) *predictor {
	d := o.Dim
	hidden := slices.Concat(o.TowerHidden, o.HeadHidden)
	drop := float32(o.Dropout)
	p := &predictor{}
	in := 7 * d // concat(e_u, e_i, e_q, ê^r, ê^s) with ê^t = h_t ‖ u_i^t
	if o.Tasks != TasksBoth {
		in = 5 * d // concat(e_u, e_i, e_q, ê^t) of the one scenario
	} else if o.PLE {
		p.ple = layer.NewPLE("ple", layer.PLEConfig{In: in, Tasks: 2, Levels: 1,
			SharedExperts: o.SharedExperts, TaskExperts: o.TaskExperts,
			ExpertHidden: []int{o.ExpertHidden}, Activation: layer.ActReLU, Dropout: drop}, rng)
		in = o.ExpertHidden
	}
	for k, name := range scenarioNames {
		if o.Tasks == TasksRec && k == 1 || o.Tasks == TasksSearch && k == 0 {
			continue
		}
		cfg := layer.MLPConfig{In: in, Hidden: hidden, Out: 1, Activation: layer.ActReLU, Dropout: drop}
		p.mlps[k] = layer.NewMLP(fmt.Sprintf("%s_head", name), cfg, rng)
	}
	return p
}

func (p *predictor) Params() []*nn.Param {
	var ps []*nn.Param
	if p.ple != nil {
		ps = p.ple.Params()
	}
	for _, mlp := range p.mlps {
		if mlp != nil {
			ps = append(ps, mlp.Params()...)
		}
	}
	return ps
}

// forward returns the logits [N] of task k for inputs x [N, in].
func (p *predictor) forward(x *nn.Var, k int) *nn.Var {
	if p.ple != nil {
		x = taskExperts(p.ple.Levels[0], x, k)
	}
	return nn.Reshape(p.mlps[k].Forward(x), x.Shape()[0])
}

// taskExperts returns task k's output of a one-level PLE whose experts have one hidden layer
// each, as layer.PLE.Forward would: softmax(gate_k(x))-weighted sum of task k's own experts,
// then the shared ones. It evaluates only those experts, because the other tasks' outputs are
// not read, and runs their first layers and the gate as one product with the weights stacked.
//
// NOTE: each expert's dropout mask is drawn as part of one [N, experts·width] draw, so the
// masks differ from layer.PLE.Forward's with the same tape seed (same distribution).
func taskExperts(lv *layer.PLELevel, x *nn.Var, k int) *nn.Var {
	t := x.Tape()
	experts := slices.Concat(lv.TaskExperts[k], lv.SharedExperts)
	gate := lv.TaskGates[k]
	weights := make([]*nn.Var, 0, len(experts)+1)
	biases := make([]*nn.Var, 0, len(experts)+1)
	for _, e := range experts {
		weights = append(weights, t.Param(e.Layers[0].Weight))
		biases = append(biases, t.Param(e.Layers[0].Bias))
	}
	weights = append(weights, t.Param(gate.Weight))
	biases = append(biases, t.Zeros(gate.Out)) // the gates have no bias

	n, width, count := x.Shape()[0], experts[0].Layers[0].Out, len(experts)
	z := nn.Affine(x, nn.Concat(0, weights...), nn.Concat(0, biases...))
	parts := nn.Split(z, count*width, gate.Out)
	// Every expert has the same parameter-free activation (ReLU in newPredictor), so the first
	// expert's applies to all of them at once.
	hidden := nn.Dropout(experts[0].Activations[0].Forward(parts[0]), experts[0].Dropout)
	mix := nn.Reshape(nn.Softmax(parts[1]), n, 1, count)
	return nn.Reshape(nn.MatMul(mix, nn.Reshape(hidden, n, count, width), false, false), n, width)
}
