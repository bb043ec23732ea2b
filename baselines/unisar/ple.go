package unisar

import (
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// pleInput is PLE's input [rec interest, search interest, item, user, query] for B·C
// candidates, kept in three parts of different granularity, because the first layer of every
// expert and gate is linear in it: W·x = W_c·x_c + W_i·x_i + W_r·x_r.
type pleInput struct {
	// perCandidate [B·C, 2d] holds both pooled interests, which depend on the candidate.
	perCandidate *nn.Var
	// items [U, d] are the batch's distinct item embeddings and itemRows [B·C] each
	// candidate's row among them.
	items    *nn.Var
	itemRows []int32
	// perRow [B, 2d] holds user and query, shared by a row's candidates, and rowOwners [B·C]
	// each candidate's row.
	perRow    *nn.Var
	rowOwners []int32
}

// taskExperts returns task k's PLE output [B·C, ExpertHidden] for in. The first layers of the
// shared experts, task k's experts and task k's gate run once per candidate on the interests,
// once per distinct item on the items and once per row on user and query. Their sums go
// through the rest of each expert and the gate's softmax mix. The result equals
// m.ple.Forward(concat)[k] up to rounding (TestFactoredPLEMatches), with a fraction of the
// per-candidate work and without the other task's experts and gate. It requires the single
// PLE level that New builds.
func (m *Model) taskExperts(t *nn.Tape, k int, in pleInput) *nn.Var {
	lv := m.ple.Levels[0]
	experts := append(append([]*layer.MLP{}, lv.SharedExperts...), lv.TaskExperts[k]...)
	firsts := make([]*layer.Linear, 0, len(experts)+1)
	for _, e := range experts {
		firsts = append(firsts, e.Layers[0])
	}
	firsts = append(firsts, lv.TaskGates[k])

	weights := make([]*nn.Var, len(firsts))
	biases := make([]*nn.Var, len(firsts))
	for i, l := range firsts {
		weights[i] = t.Param(l.Weight)
		if l.Bias != nil {
			biases[i] = t.Param(l.Bias)
		} else {
			biases[i] = t.Zeros(l.Out)
		}
	}
	w, bias := nn.Concat(0, weights...), nn.Concat(0, biases...) // [Σout, 5d], [Σout]
	d := in.items.Shape()[1]
	z := nn.MatMul(in.perCandidate, nn.Narrow(w, 1, 0, 2*d), false, true)
	itemPart := nn.MatMul(in.items, nn.Narrow(w, 1, 2*d, d), false, true)
	rowPart := nn.Affine(in.perRow, nn.Narrow(w, 1, 3*d, 2*d), bias)
	z = nn.Add(z, nn.Add(nn.Gather(itemPart, in.itemRows), nn.Gather(rowPart, in.rowOwners)))

	outs := make([]*nn.Var, len(experts))
	offset := 0
	for i, e := range experts {
		outs[i] = finishMLP(e, nn.Narrow(z, 1, offset, e.Layers[0].Out))
		offset += e.Layers[0].Out
	}
	gate := nn.Softmax(nn.Narrow(z, 1, offset, lv.TaskGates[k].Out))
	// PLE mixes task k's own experts, then the shared ones; outs lists the shared ones first.
	own := append(append([]*nn.Var{}, outs[len(lv.SharedExperts):]...), outs[:len(lv.SharedExperts)]...)
	return mix(gate, own)
}

// finishMLP continues MLP e from z, the output of its first Linear layer: activation and
// dropout after each hidden layer, then the remaining layers and the output layer, as
// layer.MLP.Forward does.
func finishMLP(e *layer.MLP, z *nn.Var) *nn.Var {
	for i := range e.Layers {
		if i > 0 {
			z = e.Layers[i].Forward(z)
		}
		z = nn.Dropout(e.Activations[i].Forward(z), e.Dropout)
	}
	if e.Output != nil {
		z = e.Output.Forward(z)
	}
	return z
}

// mix returns Σ_e gate[:, e]·experts[e] for gate [N, E] and E experts [N, H].
func mix(gate *nn.Var, experts []*nn.Var) *nn.Var {
	n, count := gate.Shape()[0], gate.Shape()[1]
	stacked := make([]*nn.Var, count)
	for e, x := range experts {
		stacked[e] = nn.Reshape(x, n, 1, x.Shape()[1])
	}
	all := stacked[0]
	if count > 1 {
		all = nn.Concat(1, stacked...)
	}
	return nn.SumAxis(nn.Mul(nn.Reshape(gate, n, count, 1), all), 1, false)
}
