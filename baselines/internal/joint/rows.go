package joint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// ScoreChunkRows is the number of evaluation rows that ScoreInChunks records on the tape at
// once. With 100 candidates per row it bounds a chunk to 6,400 candidate rows, so that the
// tape's memory does not grow with the evaluation batch size.
const ScoreChunkRows = 64

// SelectRows returns a new batch holding rows of b in the given order, with Cap = Size =
// len(rows). Every per-row array is copied, so the result stays valid after b is rebuilt.
func SelectRows(b *prep.Batch, rows []int32) *prep.Batch {
	n := len(rows)
	out := &prep.Batch{
		Cap: n, Size: n,
		RecWidth: b.RecWidth, SearchWidth: b.SearchWidth, ClickWidth: b.ClickWidth,
		MergedWidth: b.MergedWidth, FeatureWidth: b.FeatureWidth, NegativeWidth: b.NegativeWidth,
	}
	out.User = pick(b.User, rows, 1)
	out.Kind = pick(b.Kind, rows, 1)
	out.Target = pick(b.Target, rows, 1)
	out.Time = pick(b.Time, rows, 1)
	out.Query = pick(b.Query, rows, 1)
	out.UserFeatures = pick(b.UserFeatures, rows, b.FeatureWidth)
	out.Negatives = pick(b.Negatives, rows, b.NegativeWidth)
	out.RecItems = pick(b.RecItems, rows, b.RecWidth)
	out.RecTimes = pick(b.RecTimes, rows, b.RecWidth)
	out.RecLen = pick(b.RecLen, rows, 1)
	out.SearchQueries = pick(b.SearchQueries, rows, b.SearchWidth)
	out.SearchTimes = pick(b.SearchTimes, rows, b.SearchWidth)
	out.SearchClicks = pick(b.SearchClicks, rows, b.SearchWidth*b.ClickWidth)
	out.SearchClickLen = pick(b.SearchClickLen, rows, b.SearchWidth)
	out.SearchLen = pick(b.SearchLen, rows, 1)
	out.MergedKind = pick(b.MergedKind, rows, b.MergedWidth)
	out.MergedSlot = pick(b.MergedSlot, rows, b.MergedWidth)
	out.MergedLen = pick(b.MergedLen, rows, 1)
	return out
}

// countKept returns the number of ids that are not nn.PaddingID.
func countKept(ids []int32) int {
	n := 0
	for _, id := range ids {
		if id != nn.PaddingID {
			n++
		}
	}
	return n
}

// pick copies the width-wide rows of src that rows lists. A source too short to hold a row
// (Negatives of an evaluation batch) gives an empty slice.
func pick[T any](src []T, rows []int32, width int) []T {
	out := make([]T, 0, len(rows)*width)
	for _, r := range rows {
		end := (int(r) + 1) * width
		if end > len(src) {
			return out[:0]
		}
		out = append(out, src[int(r)*width:end]...)
	}
	return out
}

// ScoreInChunks calls score on sub-batches of at most ScoreChunkRows rows of batch and resets
// t between calls, so that a Score call records at most one chunk at a time. Rows are grouped
// by task and, within a task, by the number of filled slots of both histories, so that each
// chunk has one task and similar history lengths. candidates and scores are the rows' lists,
// passed on per chunk. The first error stops the loop.
func ScoreInChunks(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32,
	score func(t *nn.Tape, chunk *prep.Batch, candidates [][]int32, scores [][]float32) error) error {
	rows := make([]int32, batch.Size)
	filled := make([]int, batch.Size)
	for r := range rows {
		rows[r] = int32(r)
		filled[r] = countKept(batch.RecItems[r*batch.RecWidth:(r+1)*batch.RecWidth]) +
			countKept(batch.SearchQueries[r*batch.SearchWidth:(r+1)*batch.SearchWidth])
	}
	slices.SortStableFunc(rows, func(a, b int32) int {
		return cmp.Or(cmp.Compare(batch.Kind[a], batch.Kind[b]), cmp.Compare(filled[a], filled[b]))
	})
	for lo := 0; lo < len(rows); {
		hi := min(lo+ScoreChunkRows, len(rows))
		for k := lo + 1; k < hi; k++ {
			if batch.Kind[rows[k]] != batch.Kind[rows[lo]] {
				hi = k
				break
			}
		}
		chunk := rows[lo:hi]
		subCandidates := make([][]int32, len(chunk))
		subScores := make([][]float32, len(chunk))
		for i, r := range chunk {
			subCandidates[i], subScores[i] = candidates[r], scores[r]
		}
		if lo > 0 {
			t.Reset()
		}
		if err := score(t, SelectRows(batch, chunk), subCandidates, subScores); err != nil {
			return fmt.Errorf("scoring batch rows %v as chunk rows 0..%d: %w", chunk, len(chunk)-1, err)
		}
		lo = hi
	}
	return nil
}
