package protocol

import (
	"log/slog"

	"github.com/srbench/srbench/datasets"
)

// itemStride separates the item ids of consecutive test cases: case i with original candidate
// index j holds item i*itemStride + j, so a scorer can recover j from the item id alone.
const itemStride = 1000

// makeCases builds n cases of task with ids first, first+1, ... and width candidates each.
func makeCases(task datasets.Kind, first int64, n, width int) []Case {
	cases := make([]Case, n)
	for i := range cases {
		id := first + int64(i)
		items := make([]int32, width)
		for j := range items {
			items[j] = int32(id)*itemStride + int32(j)
		}
		cases[i] = Case{Task: task, ID: id, Candidates: items}
	}
	return cases
}

// originalIndex returns the candidate index an item had in its case as built by makeCases.
func originalIndex(item int32) int {
	return int(item % itemStride)
}

// quietConfig returns a Config that logs nothing.
func quietConfig() Config {
	return Config{Logger: slog.New(slog.DiscardHandler)}
}

// constantScorer gives every candidate the same score, so every case is one big tie.
var constantScorer = ScorerFunc(func(batch []Case, scores [][]float32) error {
	for i := range batch {
		for j := range scores[i] {
			scores[i][j] = 0.5
		}
	}
	return nil
})

// scoreByIndex scores each candidate with score(case, original index).
func scoreByIndex(score func(c Case, index int) float32) ScorerFunc {
	return func(batch []Case, scores [][]float32) error {
		for i, c := range batch {
			for j, item := range c.Candidates {
				scores[i][j] = score(c, originalIndex(item))
			}
		}
		return nil
	}
}

// rankScorer places each positive at ranks[key] with no ties: negative j scores -(j-0.5), so
// exactly r negatives score above a positive scoring -r.
func rankScorer(ranks map[caseKey]int) ScorerFunc {
	return scoreByIndex(func(c Case, index int) float32 {
		if index == 0 {
			return -float32(ranks[caseKey{c.Task, c.ID}])
		}
		return -(float32(index) - 0.5)
	})
}
