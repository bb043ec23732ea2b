package seqrec

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
)

// CheckRecBatch returns an error, prefixed with the model's name, unless b's recommendation
// history is width slots wide and every row of b is a recommendation sample whose history
// items lie in [0, numItems) or are -1 (padding). With train set it also checks each row's
// target and its NegativeWidth negatives.
func CheckRecBatch(model string, b *prep.Batch, numItems, width int, train bool) error {
	if b.RecWidth != width {
		return fmt.Errorf("%s: batch history width is %d but the model was built for max_rec_history %d; build the model from the same prepared data",
			model, b.RecWidth, width)
	}
	if err := checkLengths(model, b, train); err != nil {
		return err
	}
	for row := range b.Size {
		if b.Kind[row] != int32(datasets.Rec) {
			return fmt.Errorf("%s: batch row %d has task code %d; the model scores only recommendation rows (code %d)",
				model, row, b.Kind[row], datasets.Rec)
		}
		history := b.RecItems[row*b.RecWidth : (row+1)*b.RecWidth]
		for slot, item := range history {
			if item < -1 || int(item) >= numItems {
				return fmt.Errorf("%s: batch row %d history slot %d contains item %d, which is outside [0, %d) and is not the padding id -1",
					model, row, slot, item, numItems)
			}
		}
		if !train {
			continue
		}
		if err := checkItem(model, row, "target", b.Target[row], numItems); err != nil {
			return err
		}
		for j, item := range b.Negatives[row*b.NegativeWidth : (row+1)*b.NegativeWidth] {
			if err := checkItem(model, row, fmt.Sprintf("negative %d", j), item, numItems); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkLengths returns an error when one of b's arrays is too short for b.Size rows, so that
// a hand-built batch gives an error instead of an index panic.
func checkLengths(model string, b *prep.Batch, train bool) error {
	n := b.Size
	short := func(name string, have, want int) error {
		return fmt.Errorf("%s: batch of %d rows has %d entries in %s; want at least %d", model, n, have, name, want)
	}
	switch {
	case n < 0:
		return fmt.Errorf("%s: batch size %d is negative", model, n)
	case b.RecWidth < 1:
		return fmt.Errorf("%s: batch history width %d; want at least 1", model, b.RecWidth)
	case len(b.Kind) < n:
		return short("Kind", len(b.Kind), n)
	case len(b.RecItems) < n*b.RecWidth:
		return short("RecItems", len(b.RecItems), n*b.RecWidth)
	case !train:
		return nil
	case len(b.Target) < n:
		return short("Target", len(b.Target), n)
	case len(b.Negatives) < n*b.NegativeWidth:
		return short("Negatives", len(b.Negatives), n*b.NegativeWidth)
	}
	return nil
}

func checkItem(model string, row int, what string, item int32, numItems int) error {
	if item < 0 || int(item) >= numItems {
		return fmt.Errorf("%s: batch row %d %s is item %d, outside [0, %d)", model, row, what, item, numItems)
	}
	return nil
}

// TrainIDs returns the training candidates of b's rows as one [Size, 1+NegativeWidth] array:
// each row's target, then its negatives. Column 0 is the positive.
func TrainIDs(b *prep.Batch) []int32 {
	width := 1 + b.NegativeWidth
	ids := make([]int32, b.Size*width)
	for row := range b.Size {
		ids[row*width] = b.Target[row]
		copy(ids[row*width+1:(row+1)*width], b.Negatives[row*b.NegativeWidth:(row+1)*b.NegativeWidth])
	}
	return ids
}

// FlattenCandidates checks the evaluation candidates of a Score call and returns them as one
// [Size, C] array with C. It returns an error, prefixed with the model's name, in three
// cases: candidates or scores do not have one list per batch row, rows differ in length or a
// score list differs from its candidate list, or an item lies outside [0, numItems).
func FlattenCandidates(model string, b *prep.Batch, candidates [][]int32, scores [][]float32, numItems int) ([]int32, int, error) {
	if len(candidates) != b.Size || len(scores) != b.Size {
		return nil, 0, fmt.Errorf("%s: batch has %d rows but %d candidate lists and %d score lists",
			model, b.Size, len(candidates), len(scores))
	}
	if b.Size == 0 {
		return nil, 0, nil
	}
	width := len(candidates[0])
	ids := make([]int32, 0, b.Size*width)
	for row, items := range candidates {
		if len(items) != width {
			return nil, 0, fmt.Errorf("%s: batch row %d has %d candidates but row 0 has %d; every row must rank the same number",
				model, row, len(items), width)
		}
		if len(scores[row]) != width {
			return nil, 0, fmt.Errorf("%s: batch row %d has %d candidates but %d scores", model, row, width, len(scores[row]))
		}
		for j, item := range items {
			if err := checkItem(model, row, fmt.Sprintf("candidate %d", j), item, numItems); err != nil {
				return nil, 0, err
			}
		}
		ids = append(ids, items...)
	}
	return ids, width, nil
}

// CopyScores writes the [rows, width] values of flat into scores[offset+i] for i < rows.
func CopyScores(scores [][]float32, offset int, flat []float32, width int) {
	for i := range len(flat) / width {
		copy(scores[offset+i], flat[i*width:(i+1)*width])
	}
}
