package train

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// Model is what the trainer fits and evaluates. DHIM and the baselines satisfy it without
// importing this package.
//
// Params (from nn.Module) returns the trainable parameters in a fixed order. An empty list
// marks a model without parameters (the popularity ranker), so the trainer runs one epoch of
// validation without any optimizer step.
//
// Tasks returns the tasks the model trains and scores, datasets.Rec and/or datasets.Search,
// each at most once. A single-task model gets only its task's batches and cases.
//
// Loss records on t the training loss of one step and returns it with its named terms
// ("click_rec", "click_src", "align", ...) for the learning curves. The name "total" is
// reserved for the total. rec holds recommendation samples and search holds search samples.
// Either is nil when the model does not train that task or the step has no sample of it. In
// each batch, row i's Target is a positive (label 1) and row i of Negatives holds its
// NegativeWidth negatives (label 0), drawn for the current epoch. total must have exactly one
// element and be recorded on t. Each task's part of the loss must be a mean over that batch's
// rows, because with Workers above 1 the trainer calls Loss once per shard of the step's batch
// and weights each shard's loss by its share of the step's rows. Terms may be nil. The batches
// are valid only during the call.
//
// Score writes scores[i][j], higher meaning more relevant, for item candidates[i][j] of batch
// row i, for every row of batch. Row i's Kind is its task. The candidates are shuffled, so
// the positive may be at any index. Score must not read Target, which holds the held-out
// positive, or Negatives. t is in evaluation mode (t.Train is false) and is reset after the
// call. Score must not keep batch, candidates or scores. It may run on several goroutines at
// once, each with its own tape and batch, and must score a row the same way whatever other
// rows share its batch.
type Model interface {
	nn.Module
	Tasks() []datasets.Kind
	Loss(t *nn.Tape, rec, search *prep.Batch) (total *nn.Var, terms map[string]*nn.Var, err error)
	Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error
}

// taskSet marks the tasks a model trains, indexed by datasets.Kind.
type taskSet [2]bool

// modelTasks validates m.Tasks and returns them as a set.
func modelTasks(m Model) (taskSet, error) {
	var set taskSet
	tasks := m.Tasks()
	if len(tasks) == 0 {
		return set, fmt.Errorf("train: model reports no tasks; Tasks must return datasets.Rec, datasets.Search or both")
	}
	for _, k := range tasks {
		if k != datasets.Rec && k != datasets.Search {
			return set, fmt.Errorf("train: model reports invalid task %s; use datasets.Rec or datasets.Search", k)
		}
		if set[k] {
			return set, fmt.Errorf("train: model reports task %s twice", k)
		}
		set[k] = true
	}
	return set, nil
}

// kinds returns the tasks in the set in fixed order: rec, then search.
func (s taskSet) kinds() []datasets.Kind {
	var out []datasets.Kind
	for _, k := range []datasets.Kind{datasets.Rec, datasets.Search} {
		if s[k] {
			out = append(out, k)
		}
	}
	return out
}

// names returns the tasks' names in the order of kinds.
func (s taskSet) names() []string {
	var out []string
	for _, k := range s.kinds() {
		out = append(out, k.String())
	}
	return out
}
