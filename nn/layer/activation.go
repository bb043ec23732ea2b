package layer

import (
	"fmt"
	"sync"

	"github.com/srbench/srbench/nn"
)

// ActivationKind selects the nonlinearity of an Activation.
type ActivationKind int

// The activations an MLP can use.
const (
	// ActIdentity passes its input through.
	ActIdentity ActivationKind = iota
	// ActReLU is max(x, 0).
	ActReLU
	// ActTanh is the hyperbolic tangent.
	ActTanh
	// ActSigmoid is 1/(1+e^−x).
	ActSigmoid
	// ActPReLU is torch.nn.PReLU with one learned slope per channel, initialised to 0.25.
	ActPReLU
	// ActDice is DIN's Dice with one learned alpha per channel, initialised to 0, and running
	// statistics for evaluation.
	ActDice
)

// String returns the kind's lower-case name ("relu", "dice").
func (k ActivationKind) String() string {
	switch k {
	case ActIdentity:
		return "identity"
	case ActReLU:
		return "relu"
	case ActTanh:
		return "tanh"
	case ActSigmoid:
		return "sigmoid"
	case ActPReLU:
		return "prelu"
	case ActDice:
		return "dice"
	}
	return fmt.Sprintf("ActivationKind(%d)", int(k))
}

// ParseActivation returns the kind named s (the names String returns), or an error that lists
// the valid names.
func ParseActivation(s string) (ActivationKind, error) {
	for k := ActIdentity; k <= ActDice; k++ {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("layer: unknown activation %q; valid names are identity, relu, tanh, sigmoid, prelu and dice", s)
}

// DiceMomentum is the weight of a new batch in Dice's running statistics, the default
// momentum of PyTorch's BatchNorm.
const DiceMomentum = 0.1

// Activation is a nonlinearity over the last axis of its input, with learned parameters for
// PReLU and Dice.
//
// Dice normalises with batch statistics in training mode. Each tape's statistics (those of
// the last Forward on that tape) are kept until UpdateRunningStats folds them into Running,
// which evaluation mode reads. Forward may run on several tapes at once.
type Activation struct {
	// Kind is the nonlinearity.
	Kind ActivationKind
	// Alpha contains the per-channel slopes of PReLU (named "weight", as in torch.nn.PReLU)
	// or the alphas of Dice (named "alpha"). It is nil for the other kinds and takes no weight
	// decay.
	Alpha *nn.Param
	// Running holds Dice's running mean and biased variance per channel, initialised to 0
	// and 1.
	Running nn.DiceStats

	mu    sync.Mutex
	batch map[*nn.Tape]*nn.DiceStats // Dice's batch statistics per tape since the last fold
}

// NewActivation returns an activation of the given kind over channels features, named name
// when it has parameters. It panics on an unknown kind.
func NewActivation(name string, kind ActivationKind, channels int) *Activation {
	a := &Activation{Kind: kind}
	switch kind {
	case ActIdentity, ActReLU, ActTanh, ActSigmoid:
	case ActPReLU:
		a.Alpha = newParam(joinName(name, "weight"), false, channels)
		Fill(a.Alpha, 0.25)
	case ActDice:
		a.Alpha = newParam(joinName(name, "alpha"), false, channels)
		a.Running = nn.DiceStats{Mean: make([]float32, channels), Var: make([]float32, channels)}
		for i := range a.Running.Var {
			a.Running.Var[i] = 1
		}
		a.batch = make(map[*nn.Tape]*nn.DiceStats)
	default:
		panic(fmt.Sprintf("layer: NewActivation: unknown kind %d", int(kind)))
	}
	return a
}

// Forward applies the activation to x [..., channels].
func (a *Activation) Forward(x *nn.Var) *nn.Var {
	switch a.Kind {
	case ActReLU:
		return nn.ReLU(x)
	case ActTanh:
		return nn.Tanh(x)
	case ActSigmoid:
		return nn.Sigmoid(x)
	case ActPReLU:
		return nn.PReLU(x, x.Tape().Param(a.Alpha))
	case ActDice:
		t := x.Tape()
		var batch *nn.DiceStats
		if t.Train {
			batch = a.batchStats(t)
		}
		return nn.Dice(x, t.Param(a.Alpha), nn.DiceEps, &a.Running, batch)
	}
	return x
}

// batchStats returns the statistics record of tape t, creating it on first use.
func (a *Activation) batchStats(t *nn.Tape) *nn.DiceStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.batch[t]
	if s == nil {
		s = &nn.DiceStats{}
		a.batch[t] = s
	}
	return s
}

// UpdateRunningStats folds Dice's batch statistics into Running: the mean over tapes (in the
// order given) of each tape's batch mean and variance enters with weight DiceMomentum. Tapes
// that recorded no statistics since the last call are skipped, and the records are then
// discarded. Call it after a training step, when no Forward is running. Other kinds ignore it.
func (a *Activation) UpdateRunningStats(tapes []*nn.Tape) {
	if a.Kind != ActDice {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	c := len(a.Running.Mean)
	mean := make([]float64, c)
	variance := make([]float64, c)
	n := 0
	for _, t := range tapes {
		s := a.batch[t]
		if s == nil || len(s.Mean) != c {
			continue
		}
		for j := range c {
			mean[j] += float64(s.Mean[j])
			variance[j] += float64(s.Var[j])
		}
		n++
	}
	clear(a.batch)
	if n == 0 {
		return
	}
	for j := range c {
		a.Running.Mean[j] = float32((1-DiceMomentum)*float64(a.Running.Mean[j]) + DiceMomentum*mean[j]/float64(n))
		a.Running.Var[j] = float32((1-DiceMomentum)*float64(a.Running.Var[j]) + DiceMomentum*variance[j]/float64(n))
	}
}

// Params returns Alpha for PReLU and Dice, else nothing.
func (a *Activation) Params() []*nn.Param {
	if a.Alpha == nil {
		return nil
	}
	return []*nn.Param{a.Alpha}
}
