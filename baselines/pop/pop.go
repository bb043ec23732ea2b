// Package pop is the popularity ranker, the floor every model must beat. It scores a candidate
// by its clicks in the training split of the case's own task: recommendation clicks for
// recommendation cases and search clicks for search cases.
//
// It has no parameters and no randomness. Candidates with equal counts get equal scores, and
// the evaluation protocol's seeded shuffle decides their order, so a tie never favours the
// positive.
package pop

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// Model ranks candidates by training-split click counts. It is safe for concurrent use once
// built, because scoring only reads the counts.
type Model struct {
	tasks  []datasets.Kind
	counts [2][]float32
}

// New counts the training clicks of each task in data: every training sample is one click on
// its target item (a search session with several clicked items gives one sample per click).
// tasks lists the tasks the model scores; none means both. It returns an error for an invalid
// or repeated task, or a training target outside the item catalogue.
func New(data *prep.Prepared, tasks ...datasets.Kind) (*Model, error) {
	if data == nil || data.Dataset == nil {
		return nil, fmt.Errorf("pop: prepared data is nil")
	}
	if len(tasks) == 0 {
		tasks = []datasets.Kind{datasets.Rec, datasets.Search}
	}
	m := &Model{}
	numItems := len(data.Dataset.Items)
	for _, k := range tasks {
		if k != datasets.Rec && k != datasets.Search {
			return nil, fmt.Errorf("pop: invalid task %s; use datasets.Rec or datasets.Search", k)
		}
		if m.counts[k] != nil {
			return nil, fmt.Errorf("pop: task %s is listed twice", k)
		}
		counts := make([]float32, numItems)
		for i, s := range data.Tasks[k].Train {
			if s.Target < 0 || int(s.Target) >= numItems {
				return nil, fmt.Errorf("pop: %s training sample %d (user %d, event %d) has target item %d outside [0, %d)",
					k, i, s.User, s.Event, s.Target, numItems)
			}
			counts[s.Target]++
		}
		m.counts[k] = counts
		m.tasks = append(m.tasks, k)
	}
	return m, nil
}

// Params returns no parameters: the counts are fixed when New runs.
func (m *Model) Params() []*nn.Param { return nil }

// Tasks returns the tasks given to New, in that order.
func (m *Model) Tasks() []datasets.Kind { return append([]datasets.Kind(nil), m.tasks...) }

// Count returns the training clicks of item in task, or 0 for a task the model does not score
// or an item outside the catalogue.
func (m *Model) Count(task datasets.Kind, item int32) float32 {
	if task != datasets.Rec && task != datasets.Search {
		return 0
	}
	counts := m.counts[task]
	if item < 0 || int(item) >= len(counts) {
		return 0
	}
	return counts[item]
}

// Loss returns an error: the model has nothing to train, and a trainer must not call it for
// a model whose Params are empty.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	return nil, nil, fmt.Errorf("pop: the popularity ranker has no parameters to train")
}

// Score sets scores[i][j] to the training clicks of candidates[i][j] in the task of batch row
// i. Counts below 2^24 are exact in float32. It returns an error for a row of a task the model
// does not score, a row count that differs between batch, candidates and scores, or a
// candidate outside the catalogue.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	if len(candidates) != batch.Size || len(scores) != batch.Size {
		return fmt.Errorf("pop: batch has %d rows but %d candidate lists and %d score lists", batch.Size, len(candidates), len(scores))
	}
	for i, items := range candidates {
		raw := batch.Kind[i]
		if raw != int32(datasets.Rec) && raw != int32(datasets.Search) {
			return fmt.Errorf("pop: batch row %d has invalid task code %d", i, raw)
		}
		kind := datasets.Kind(raw)
		if m.counts[kind] == nil {
			return fmt.Errorf("pop: batch row %d has task %s, which the model does not score (tasks %v)", i, kind, m.tasks)
		}
		counts := m.counts[kind]
		if len(scores[i]) != len(items) {
			return fmt.Errorf("pop: batch row %d has %d candidates but %d scores", i, len(items), len(scores[i]))
		}
		for j, item := range items {
			if item < 0 || int(item) >= len(counts) {
				return fmt.Errorf("pop: batch row %d candidate %d is item %d, outside [0, %d)", i, j, item, len(counts))
			}
			scores[i][j] = counts[item]
		}
	}
	return nil
}
