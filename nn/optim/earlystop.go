package optim

import (
	"fmt"
	"math"
)

// EarlyStopping tracks a validation metric where higher is better and reports when to stop
// training. That is after Patience epochs in a row without a strict improvement over the best
// value, as UniSAR's training code stops (patience 5 on validation NDCG@5). A tie with the best does
// not improve it, so the best epoch is the first epoch that reached the best value. A NaN
// metric never improves.
type EarlyStopping struct {
	patience  int
	best      float64
	bestEpoch int
	since     int
	epochs    int
}

// NewEarlyStopping returns a tracker that stops after patience epochs without improvement.
// It returns an error if patience is below 1.
func NewEarlyStopping(patience int) (*EarlyStopping, error) {
	if patience < 1 {
		return nil, fmt.Errorf("optim: early-stopping patience %d is invalid; it must be at least 1", patience)
	}
	return &EarlyStopping{patience: patience, best: math.Inf(-1), bestEpoch: -1}, nil
}

// Observe records the metric of the given epoch. It returns improved when the metric is a new
// best and stop when the last Patience epochs brought no improvement.
func (e *EarlyStopping) Observe(epoch int, metric float64) (improved, stop bool) {
	e.epochs++
	if metric > e.best {
		e.best, e.bestEpoch, e.since = metric, epoch, 0
		return true, false
	}
	e.since++
	return false, e.since >= e.patience
}

// Best returns the best metric so far, or -Inf before any improvement.
func (e *EarlyStopping) Best() float64 { return e.best }

// BestEpoch returns the epoch that reached the best metric, or -1 before any improvement.
func (e *EarlyStopping) BestEpoch() int { return e.bestEpoch }

// EpochsSinceBest returns the number of observations since the last improvement.
func (e *EarlyStopping) EpochsSinceBest() int { return e.since }

// EarlyStoppingState is the resumable state of an EarlyStopping tracker.
type EarlyStoppingState struct {
	// Best is the best metric seen, -Inf before any improvement.
	Best float64
	// BestEpoch is the epoch of Best, -1 before any improvement.
	BestEpoch int
	// EpochsSinceBest counts the observations since the last improvement.
	EpochsSinceBest int
	// Epochs counts all observations.
	Epochs int
}

// State returns the tracker's state.
func (e *EarlyStopping) State() EarlyStoppingState {
	return EarlyStoppingState{Best: e.best, BestEpoch: e.bestEpoch, EpochsSinceBest: e.since, Epochs: e.epochs}
}

// SetState restores a state returned by State. It returns an error for negative counters.
func (e *EarlyStopping) SetState(st EarlyStoppingState) error {
	if st.EpochsSinceBest < 0 || st.Epochs < 0 || st.BestEpoch < -1 {
		return fmt.Errorf("optim: early-stopping state %+v has a negative counter", st)
	}
	e.best, e.bestEpoch, e.since, e.epochs = st.Best, st.BestEpoch, st.EpochsSinceBest, st.Epochs
	return nil
}
