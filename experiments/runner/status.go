package runner

import (
	"errors"
	"os"
	"slices"

	"github.com/srbench/srbench/results"
)

// States of a planned run reported by Status.
const (
	StateDone    = "done"
	StateFailed  = "failed"
	StatePending = "pending"
	// StatePartial is a pending run with an epoch checkpoint: the next start resumes it.
	StatePartial = "partial"
)

// RunState is the state of one planned run on disk.
type RunState struct {
	Run   Run
	State string
	// Record is the run's record; nil for a pending run.
	Record *results.Record
}

// Report is the state of an experiment's runs under a results root.
type Report struct {
	Runs []RunState
	// Unplanned lists the run ids of records in the experiment's folder that the current plan
	// does not contain (runs of an earlier configuration), sorted.
	Unplanned []string
}

// Count returns the number of runs in a state.
func (r *Report) Count(state string) int {
	n := 0
	for _, s := range r.Runs {
		if s.State == state {
			n++
		}
	}
	return n
}

// Status reads the records and checkpoints of the planned runs under dir. A record that cannot
// be read is an error naming its file.
func Status(dir string, runs []Run) (*Report, error) {
	rep := &Report{}
	planned := map[string]bool{}
	var folders []string
	for _, r := range runs {
		planned[r.ID] = true
		if !slices.Contains(folders, r.Experiment) {
			folders = append(folders, r.Experiment)
		}
		state := RunState{Run: r, State: StatePending}
		rec, err := results.Read(results.Path(dir, r.Experiment, r.ID))
		switch {
		case err == nil && rec.Status == results.StatusDone:
			state.State, state.Record = StateDone, rec
		case err == nil:
			state.State, state.Record = StateFailed, rec
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
		if state.State == StatePending {
			if _, err := os.Stat(CheckpointPath(dir, r)); err == nil {
				state.State = StatePartial
			}
		}
		rep.Runs = append(rep.Runs, state)
	}
	for _, folder := range folders {
		recs, err := results.ReadExperiment(dir, folder)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if !planned[rec.RunID] {
				rep.Unplanned = append(rep.Unplanned, rec.RunID)
			}
		}
	}
	slices.Sort(rep.Unplanned)
	return rep, nil
}
