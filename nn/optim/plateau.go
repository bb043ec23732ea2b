package optim

import (
	"fmt"
	"math"
)

// Mode is the direction in which a monitored metric improves.
type Mode int

const (
	// Min treats lower values as better (losses).
	Min Mode = iota
	// Max treats higher values as better (NDCG, hit rate).
	Max
)

// ThresholdMode selects how Threshold turns the best value into the value to beat.
type ThresholdMode int

const (
	// Rel requires beating best·(1+Threshold) in Max mode or best·(1−Threshold) in Min mode.
	Rel ThresholdMode = iota
	// Abs requires beating best+Threshold in Max mode or best−Threshold in Min mode.
	Abs
)

// PlateauConfig holds the settings of ReduceLROnPlateau, named as in PyTorch.
type PlateauConfig struct {
	// Mode is Max when the metric improves by rising and Min when it improves by falling.
	Mode Mode
	// Factor multiplies the learning rate on a reduction; it must be in (0, 1).
	Factor float64
	// Patience is the number of bad epochs in a row that are tolerated. The rate is reduced
	// on the (Patience+1)-th.
	Patience int
	// Threshold is the margin a value must beat the best by to count as an improvement.
	Threshold float64
	// ThresholdMode selects a relative (Rel) or absolute (Abs) Threshold.
	ThresholdMode ThresholdMode
	// Cooldown is the number of epochs after a reduction during which bad epochs are not
	// counted.
	Cooldown int
	// MinLR is the lower bound of the learning rate.
	MinLR float64
	// Eps is the smallest change of the learning rate that is applied; a smaller reduction
	// is skipped.
	Eps float64
}

// DefaultPlateauConfig returns the defaults of PyTorch's ReduceLROnPlateau: mode min,
// factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0, min_lr 0, eps 1e-8.
func DefaultPlateauConfig() PlateauConfig {
	return PlateauConfig{Mode: Min, Factor: 0.1, Patience: 10, Threshold: 1e-4, ThresholdMode: Rel, Eps: 1e-8}
}

// UniSARPlateauConfig returns the schedule of UniSAR's public training code
// (utils/Runner.py in github.com/TengShi-RUC/UniSAR): mode max, because it monitors the mean
// of validation recommendation and search NDCG@5, patience 3, min_lr 1e-6, and PyTorch's
// defaults otherwise.
func UniSARPlateauConfig() PlateauConfig {
	c := DefaultPlateauConfig()
	c.Mode, c.Patience, c.MinLR = Max, 3, 1e-6
	return c
}

// validate rejects settings for which the schedule is undefined.
func (c PlateauConfig) validate() error {
	switch {
	case c.Mode != Min && c.Mode != Max:
		return fmt.Errorf("optim: plateau mode %d is invalid; use Min or Max", c.Mode)
	case c.ThresholdMode != Rel && c.ThresholdMode != Abs:
		return fmt.Errorf("optim: plateau threshold mode %d is invalid; use Rel or Abs", c.ThresholdMode)
	case !(c.Factor > 0 && c.Factor < 1):
		return fmt.Errorf("optim: plateau factor %v is invalid; it must be in (0, 1)", c.Factor)
	case c.Patience < 0:
		return fmt.Errorf("optim: plateau patience %d is invalid; it must be non-negative", c.Patience)
	case c.Cooldown < 0:
		return fmt.Errorf("optim: plateau cooldown %d is invalid; it must be non-negative", c.Cooldown)
	case !(c.Threshold >= 0) || math.IsInf(c.Threshold, 0):
		return fmt.Errorf("optim: plateau threshold %v is invalid; it must be finite and non-negative", c.Threshold)
	case !(c.MinLR >= 0) || math.IsInf(c.MinLR, 0):
		return fmt.Errorf("optim: plateau min LR %v is invalid; it must be finite and non-negative", c.MinLR)
	case !(c.Eps >= 0) || math.IsInf(c.Eps, 0):
		return fmt.Errorf("optim: plateau eps %v is invalid; it must be finite and non-negative", c.Eps)
	}
	return nil
}

// Plateau lowers an optimizer's learning rate when a metric stops improving, with the rules
// of PyTorch's ReduceLROnPlateau. Each Step compares the metric with the best so far and
// counts bad epochs. Once more than Patience bad epochs are counted, it sets the rate to
// max(rate·Factor, MinLR), resets the count and starts a cooldown. A NaN metric is a bad epoch.
type Plateau struct {
	cfg PlateauConfig
	opt Optimizer
	st  PlateauState
}

// PlateauState is the resumable state of a Plateau schedule.
type PlateauState struct {
	// Best is the best metric seen; ±Inf before the first step.
	Best float64
	// BadEpochs counts the epochs since the last improvement, outside cooldown.
	BadEpochs int
	// CooldownLeft counts the cooldown epochs still to pass.
	CooldownLeft int
	// Epochs counts the calls to Step.
	Epochs int
	// Reductions counts the learning-rate reductions made.
	Reductions int
}

// NewPlateau returns a schedule that lowers opt's learning rate. It returns an error for
// invalid settings.
func NewPlateau(opt Optimizer, cfg PlateauConfig) (*Plateau, error) {
	if opt == nil {
		return nil, fmt.Errorf("optim: plateau schedule needs an optimizer, got nil")
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	best := math.Inf(1)
	if cfg.Mode == Max {
		best = math.Inf(-1)
	}
	return &Plateau{cfg: cfg, opt: opt, st: PlateauState{Best: best}}, nil
}

// Step records one epoch's metric and returns whether it lowered the learning rate.
func (p *Plateau) Step(metric float64) bool {
	p.st.Epochs++
	if p.isBetter(metric) {
		p.st.Best = metric
		p.st.BadEpochs = 0
	} else {
		p.st.BadEpochs++
	}
	if p.st.CooldownLeft > 0 {
		p.st.CooldownLeft--
		p.st.BadEpochs = 0
	}
	if p.st.BadEpochs <= p.cfg.Patience {
		return false
	}
	p.st.CooldownLeft = p.cfg.Cooldown
	p.st.BadEpochs = 0
	return p.reduce()
}

// reduce lowers the learning rate unless the change would be smaller than Eps.
func (p *Plateau) reduce() bool {
	old := p.opt.LR()
	lr := math.Max(old*p.cfg.Factor, p.cfg.MinLR)
	if old-lr <= p.cfg.Eps {
		return false
	}
	p.opt.SetLR(lr)
	p.st.Reductions++
	return true
}

// isBetter reports whether metric beats the best value by the threshold.
func (p *Plateau) isBetter(metric float64) bool {
	best, th := p.st.Best, p.cfg.Threshold
	switch {
	case p.cfg.Mode == Max && p.cfg.ThresholdMode == Rel:
		return metric > best*(1+th)
	case p.cfg.Mode == Max:
		return metric > best+th
	case p.cfg.ThresholdMode == Rel:
		return metric < best*(1-th)
	default:
		return metric < best-th
	}
}

// Best returns the best metric seen so far.
func (p *Plateau) Best() float64 { return p.st.Best }

// State returns the schedule's state.
func (p *Plateau) State() PlateauState { return p.st }

// SetState restores a state returned by State. It returns an error for negative counters.
func (p *Plateau) SetState(st PlateauState) error {
	if st.BadEpochs < 0 || st.CooldownLeft < 0 || st.Epochs < 0 || st.Reductions < 0 {
		return fmt.Errorf("optim: plateau state %+v has a negative counter", st)
	}
	p.st = st
	return nil
}
