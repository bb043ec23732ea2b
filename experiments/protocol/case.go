package protocol

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
)

// Case is one held-out positive with the candidates it is ranked against.
type Case struct {
	// Task is datasets.Rec or datasets.Search.
	Task datasets.Kind
	// ID identifies the case within its task. Each (Task, ID) pair must be unique in one Rank
	// call, and the same case must keep the same pair across models so that their per-case
	// results can be paired.
	ID int64
	// Candidates holds item ids, the positive at index 0, as stored by data preparation.
	Candidates []int32
}

// Scorer scores candidates for a batch of cases.
//
// Score must set scores[i][j] to the score of batch[i].Candidates[j], a higher score meaning a
// better match. The ranker owns both slices and reuses them for the next batch, so Score must
// not keep them after it returns. Every score starts as NaN, and a score left NaN fails the
// ranking. The candidates in batch are already in the order being ranked, so under the Shuffled
// order the positive may sit at any index. A Scorer must score a case the same way whatever
// other cases share its batch, or results will depend on the batch size.
type Scorer interface {
	Score(batch []Case, scores [][]float32) error
}

// ScorerFunc adapts a function to the Scorer interface.
type ScorerFunc func(batch []Case, scores [][]float32) error

// Score calls f(batch, scores).
func (f ScorerFunc) Score(batch []Case, scores [][]float32) error {
	return f(batch, scores)
}

// caseKey identifies a case across models and in error messages.
type caseKey struct {
	task datasets.Kind
	id   int64
}

func (k caseKey) String() string {
	return fmt.Sprintf("%s case %d", k.task, k.id)
}

// validateCases checks the tasks, candidate counts, item ids and the uniqueness of each case key.
func validateCases(cases []Case, candidates int) error {
	if len(cases) == 0 {
		return fmt.Errorf("protocol: no cases to rank; pass at least one case")
	}
	seen := make(map[caseKey]int, len(cases))
	for i, c := range cases {
		key := caseKey{c.Task, c.ID}
		if err := validateCase(c, candidates); err != nil {
			return fmt.Errorf("protocol: cases[%d] (%s): %w", i, key, err)
		}
		if first, dup := seen[key]; dup {
			return fmt.Errorf("protocol: cases[%d] and cases[%d] are both %s; give each case of a task its own id", first, i, key)
		}
		seen[key] = i
	}
	return nil
}

func validateCase(c Case, candidates int) error {
	if c.Task != datasets.Rec && c.Task != datasets.Search {
		return fmt.Errorf("invalid task %s; use datasets.Rec or datasets.Search", c.Task)
	}
	if len(c.Candidates) != candidates {
		return fmt.Errorf("%d candidates, want %d (the positive and %d negatives); set Config.Candidates if the split stores another count",
			len(c.Candidates), candidates, candidates-1)
	}
	positive := c.Candidates[0]
	for j, item := range c.Candidates {
		if item < 0 {
			return fmt.Errorf("Candidates[%d] = %d: item ids must be non-negative", j, item)
		}
		if j > 0 && item == positive {
			return fmt.Errorf("Candidates[%d] = %d repeats the positive; negatives must exclude items the user interacted with", j, item)
		}
	}
	return nil
}
