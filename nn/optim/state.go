package optim

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/nn"
)

// Algorithm names stored in State.Algorithm.
const (
	AlgorithmAdam = "adam"
	AlgorithmSGD  = "sgd"
)

// State is an optimizer's resumable state: what a checkpoint must keep so that training
// continues exactly as if it had not stopped. Hyperparameters other than the learning rate
// come from the configuration and are not part of it.
type State struct {
	// Algorithm is AlgorithmAdam or AlgorithmSGD.
	Algorithm string
	// LR is the current learning rate, which a schedule may have lowered.
	LR float64
	// Steps is the number of completed optimizer steps.
	Steps int64
	// Params holds one entry per parameter, in the optimizer's parameter order. It is empty
	// for SGD, which keeps no per-parameter state.
	Params []ParamState
}

// ParamState is one parameter's Adam state.
type ParamState struct {
	// Name is the parameter's name.
	Name string
	// Moment1 and Moment2 are the first and second moment estimates, one per element.
	Moment1, Moment2 []float32
	// Step counts the updates of a dense parameter; it is 0 for a RowSparse one.
	Step int64
	// RowSteps counts, per row of a RowSparse parameter, the updates that touched the row;
	// it is nil for a dense parameter.
	RowSteps []int64
}

// State returns a deep copy of the optimizer's state.
func (a *Adam) State() *State {
	st := &State{Algorithm: AlgorithmAdam, LR: a.lr, Steps: a.steps, Params: make([]ParamState, len(a.params))}
	for i, p := range a.params {
		s := a.slots[i]
		st.Params[i] = ParamState{
			Name:    p.Name,
			Moment1: append([]float32(nil), s.m...),
			Moment2: append([]float32(nil), s.v...),
			Step:    s.step,
		}
		if s.rowSteps != nil {
			st.Params[i].RowSteps = append([]int64(nil), s.rowSteps...)
		}
	}
	return st
}

// SetState replaces the optimizer's state with a deep copy of st. Entries are matched to
// parameters by name. It returns an error, and changes nothing, if st is for another
// algorithm, a parameter has no entry or an unknown one is present, or a length or step count
// does not fit the parameter.
func (a *Adam) SetState(st *State) error {
	if err := checkHeader(st, AlgorithmAdam); err != nil {
		return err
	}
	if len(st.Params) != len(a.params) {
		return fmt.Errorf("optim: Adam state has %d parameters, the optimizer has %d; the state belongs to another model", len(st.Params), len(a.params))
	}
	byName := make(map[string]int, len(st.Params))
	for i, ps := range st.Params {
		if _, dup := byName[ps.Name]; dup {
			return fmt.Errorf("optim: Adam state lists parameter %q twice", ps.Name)
		}
		byName[ps.Name] = i
	}
	slots := make([]adamSlot, len(a.params))
	for i, p := range a.params {
		j, ok := byName[p.Name]
		if !ok {
			return fmt.Errorf("optim: Adam state has no entry for parameter %q; the state belongs to another model", p.Name)
		}
		slot, err := slotFromState(p, &st.Params[j])
		if err != nil {
			return err
		}
		slots[i] = slot
	}
	a.lr, a.steps, a.slots = st.LR, st.Steps, slots
	return nil
}

// slotFromState validates one parameter's state against the parameter and copies it.
func slotFromState(p *nn.Param, ps *ParamState) (adamSlot, error) {
	n := len(p.Value.Data)
	if len(ps.Moment1) != n || len(ps.Moment2) != n {
		return adamSlot{}, fmt.Errorf("optim: Adam state for %q has moments of %d and %d elements, the parameter has %d",
			p.Name, len(ps.Moment1), len(ps.Moment2), n)
	}
	if ps.Step < 0 {
		return adamSlot{}, fmt.Errorf("optim: Adam state for %q has step count %d; it must be non-negative", p.Name, ps.Step)
	}
	slot := adamSlot{
		m:    append([]float32(nil), ps.Moment1...),
		v:    append([]float32(nil), ps.Moment2...),
		step: ps.Step,
	}
	if !p.RowSparse {
		if ps.RowSteps != nil {
			return adamSlot{}, fmt.Errorf("optim: Adam state for dense parameter %q has per-row step counts; it was saved for a RowSparse parameter", p.Name)
		}
		return slot, nil
	}
	if rows := p.Value.Shape[0]; len(ps.RowSteps) != rows {
		return adamSlot{}, fmt.Errorf("optim: Adam state for RowSparse parameter %q has %d row step counts, the parameter has %d rows",
			p.Name, len(ps.RowSteps), rows)
	}
	for r, t := range ps.RowSteps {
		if t < 0 {
			return adamSlot{}, fmt.Errorf("optim: Adam state for %q has step count %d for row %d; it must be non-negative", p.Name, t, r)
		}
	}
	slot.rowSteps = append([]int64(nil), ps.RowSteps...)
	return slot, nil
}

// State returns the optimizer's state.
func (s *SGD) State() *State {
	return &State{Algorithm: AlgorithmSGD, LR: s.lr, Steps: s.steps}
}

// SetState restores the learning rate and step count. It returns an error, and changes
// nothing, if st is for another algorithm or holds per-parameter entries.
func (s *SGD) SetState(st *State) error {
	if err := checkHeader(st, AlgorithmSGD); err != nil {
		return err
	}
	if len(st.Params) != 0 {
		return fmt.Errorf("optim: SGD state has %d parameter entries; SGD keeps none", len(st.Params))
	}
	s.lr, s.steps = st.LR, st.Steps
	return nil
}

// checkHeader validates the fields of State that every algorithm uses.
func checkHeader(st *State, algorithm string) error {
	if st == nil {
		return fmt.Errorf("optim: %s state is nil", algorithm)
	}
	if st.Algorithm != algorithm {
		return fmt.Errorf("optim: state is for algorithm %q, the optimizer is %q", st.Algorithm, algorithm)
	}
	if !(st.LR >= 0) || math.IsInf(st.LR, 0) {
		return fmt.Errorf("optim: %s state has learning rate %v; it must be finite and non-negative", algorithm, st.LR)
	}
	if st.Steps < 0 {
		return fmt.Errorf("optim: %s state has step count %d; it must be non-negative", algorithm, st.Steps)
	}
	return nil
}
