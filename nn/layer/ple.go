package layer

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// PLEConfig sets the shape of a PLE block.
type PLEConfig struct {
	// In is the input width.
	In int
	// Tasks is the number of tasks (at least 1).
	Tasks int
	// Levels is the number of extraction levels (at least 1).
	Levels int
	// SharedExperts and TaskExperts are the numbers of shared experts per level and of
	// task-specific experts per task and level. Their sum is at least 1.
	SharedExperts, TaskExperts int
	// ExpertHidden lists the widths of each expert's layers (an MLP with Activation and Dropout
	// after every layer). The last width is the block's output width.
	ExpertHidden []int
	// Activation is the experts' nonlinearity.
	Activation ActivationKind
	// Dropout is the experts' drop probability, in [0, 1).
	Dropout float32
}

// PLE is Progressive Layered Extraction (Tang et al., RecSys 2020): at each level every task
// has its own experts and all tasks share some more. Task t's gate mixes its own and the shared
// experts with softmax weights computed from its input, and, below the last level, a shared gate
// mixes every expert into the input of the next level's shared experts.
type PLE struct {
	// Levels are the extraction levels, bottom first ("name.levels.i").
	Levels []*PLELevel
	// In is the input width, Tasks the number of tasks and Out the width of each task's output.
	In, Tasks, Out int
}

// PLELevel is one extraction level of a PLE block.
type PLELevel struct {
	// TaskExperts[t] are task t's experts ("task_experts.t.e").
	TaskExperts [][]*MLP
	// SharedExperts are the shared experts ("shared_experts.e").
	SharedExperts []*MLP
	// TaskGates[t] maps task t's input to TaskExperts+SharedExperts logits ("task_gates.t").
	// Gates have no bias.
	TaskGates []*Linear
	// SharedGate maps the shared input to logits over every expert of the level
	// ("shared_gate"). It is nil at the last level, whose shared mixture nothing reads.
	SharedGate *Linear
}

// NewPLE returns a PLE block named name with weights drawn from rng. It panics on invalid
// sizes.
func NewPLE(name string, cfg PLEConfig, rng *rand.Rand) *PLE {
	if cfg.In <= 0 || cfg.Tasks < 1 || cfg.Levels < 1 || cfg.SharedExperts < 0 || cfg.TaskExperts < 0 ||
		cfg.SharedExperts+cfg.TaskExperts < 1 || len(cfg.ExpertHidden) == 0 {
		panic(fmt.Sprintf("layer: NewPLE %q: invalid configuration %+v", name, cfg))
	}
	p := &PLE{In: cfg.In, Tasks: cfg.Tasks, Out: cfg.ExpertHidden[len(cfg.ExpertHidden)-1]}
	in := cfg.In
	for l := range cfg.Levels {
		prefix := fmt.Sprintf("%s.%d", joinName(name, "levels"), l)
		p.Levels = append(p.Levels, newPLELevel(prefix, cfg, in, l == cfg.Levels-1, rng))
		in = p.Out
	}
	return p
}

// newPLELevel builds one level whose experts read inputs of width in.
func newPLELevel(prefix string, cfg PLEConfig, in int, last bool, rng *rand.Rand) *PLELevel {
	expert := func(name string) *MLP {
		return NewMLP(name, MLPConfig{In: in, Hidden: cfg.ExpertHidden, Activation: cfg.Activation, Dropout: cfg.Dropout}, rng)
	}
	lv := &PLELevel{}
	for t := range cfg.Tasks {
		var experts []*MLP
		for e := range cfg.TaskExperts {
			experts = append(experts, expert(fmt.Sprintf("%s.task_experts.%d.%d", prefix, t, e)))
		}
		lv.TaskExperts = append(lv.TaskExperts, experts)
	}
	for e := range cfg.SharedExperts {
		lv.SharedExperts = append(lv.SharedExperts, expert(fmt.Sprintf("%s.shared_experts.%d", prefix, e)))
	}
	for t := range cfg.Tasks {
		gate := NewLinear(fmt.Sprintf("%s.task_gates.%d", prefix, t), in, cfg.TaskExperts+cfg.SharedExperts, false, rng)
		lv.TaskGates = append(lv.TaskGates, gate)
	}
	if !last {
		lv.SharedGate = NewLinear(prefix+".shared_gate", in, cfg.Tasks*cfg.TaskExperts+cfg.SharedExperts, false, rng)
	}
	return lv
}

// Forward maps x [B, In] to one output [B, Out] per task. It panics if x is not [B, In].
func (p *PLE) Forward(x *nn.Var) []*nn.Var {
	if xs := x.Shape(); len(xs) != 2 || xs[1] != p.In {
		panic(fmt.Sprintf("layer: PLE: input %v, want [B, %d]", xs, p.In))
	}
	taskIn := make([]*nn.Var, p.Tasks)
	for t := range taskIn {
		taskIn[t] = x
	}
	shared := x
	for _, lv := range p.Levels {
		taskIn, shared = lv.forward(taskIn, shared)
	}
	return taskIn
}

// forward runs one level and returns the next level's task inputs and shared input (nil at the
// last level).
func (lv *PLELevel) forward(taskIn []*nn.Var, sharedIn *nn.Var) ([]*nn.Var, *nn.Var) {
	sharedOut := make([]*nn.Var, len(lv.SharedExperts))
	for e, m := range lv.SharedExperts {
		sharedOut[e] = m.Forward(sharedIn)
	}
	var all []*nn.Var // every expert's output, task by task, then the shared ones
	next := make([]*nn.Var, len(taskIn))
	for t, in := range taskIn {
		own := make([]*nn.Var, 0, len(lv.TaskExperts[t])+len(sharedOut))
		for _, m := range lv.TaskExperts[t] {
			own = append(own, m.Forward(in))
		}
		all = append(all, own...)
		own = append(own, sharedOut...)
		next[t] = mixExperts(nn.Softmax(lv.TaskGates[t].Forward(in)), own)
	}
	if lv.SharedGate == nil {
		return next, nil
	}
	all = append(all, sharedOut...)
	return next, mixExperts(nn.Softmax(lv.SharedGate.Forward(sharedIn)), all)
}

// mixExperts returns Σ_e gate[:, e]·experts[e] for gate [B, E] and E experts [B, H].
func mixExperts(gate *nn.Var, experts []*nn.Var) *nn.Var {
	gs := gate.Shape()
	b, n := gs[0], gs[1]
	stacked := make([]*nn.Var, n)
	for e, x := range experts {
		stacked[e] = nn.Reshape(x, b, 1, x.Shape()[1])
	}
	weighted := nn.Mul(nn.Reshape(gate, b, n, 1), concatOrSingle(1, stacked))
	return nn.SumAxis(weighted, 1, false)
}

// concatOrSingle concatenates xs along axis, returning a single input as it is.
func concatOrSingle(axis int, xs []*nn.Var) *nn.Var {
	if len(xs) == 1 {
		return xs[0]
	}
	return nn.Concat(axis, xs...)
}

// UpdateRunningStats folds the Dice statistics of every expert (see
// Activation.UpdateRunningStats).
func (p *PLE) UpdateRunningStats(tapes []*nn.Tape) {
	for _, lv := range p.Levels {
		for _, experts := range lv.TaskExperts {
			for _, m := range experts {
				m.UpdateRunningStats(tapes)
			}
		}
		for _, m := range lv.SharedExperts {
			m.UpdateRunningStats(tapes)
		}
	}
}

// Params returns, level by level, the task experts (task by task), the shared experts, the task
// gates and the shared gate.
func (p *PLE) Params() []*nn.Param {
	var ps []*nn.Param
	for _, lv := range p.Levels {
		for _, experts := range lv.TaskExperts {
			for _, m := range experts {
				ps = append(ps, m.Params()...)
			}
		}
		for _, m := range lv.SharedExperts {
			ps = append(ps, m.Params()...)
		}
		for _, g := range lv.TaskGates {
			ps = append(ps, g.Params()...)
		}
		if lv.SharedGate != nil {
			ps = append(ps, lv.SharedGate.Params()...)
		}
	}
	return ps
}
