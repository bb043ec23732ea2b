package joint

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// TrainItems returns the labelled items of a training batch, row-major [B, 1+NegativeWidth]:
// each row's target (label 1) followed by its negatives (label 0).
func TrainItems(b *prep.Batch) []int32 {
	width := 1 + b.NegativeWidth
	items := make([]int32, 0, b.Size*width)
	for r := range b.Size {
		items = append(items, b.Target[r])
		items = append(items, b.Negatives[r*b.NegativeWidth:(r+1)*b.NegativeWidth]...)
	}
	return items
}

// Labels returns the [B, width] constant with 1 in column 0 and 0 elsewhere, the labels of
// TrainItems.
func Labels(t *nn.Tape, rows, width int) *nn.Var {
	y := t.Zeros(rows, width)
	for r := range rows {
		y.Data()[r*width] = 1
	}
	return y
}

// FlattenCandidates checks that candidates and scores have one equally long list per batch row
// and returns the candidates row-major with their common count.
func FlattenCandidates(model string, batch *prep.Batch, candidates [][]int32, scores [][]float32) ([]int32, int, error) {
	if len(candidates) != batch.Size || len(scores) != batch.Size {
		return nil, 0, fmt.Errorf("%s: batch has %d rows but %d candidate lists and %d score lists", model, batch.Size, len(candidates), len(scores))
	}
	if batch.Size == 0 {
		return nil, 0, nil
	}
	width := len(candidates[0])
	flat := make([]int32, 0, batch.Size*width)
	for r, c := range candidates {
		if len(c) != width || len(scores[r]) != width {
			return nil, 0, fmt.Errorf("%s: batch row %d has %d candidates and %d scores; every row needs %d of each", model, r, len(c), len(scores[r]), width)
		}
		flat = append(flat, c...)
	}
	return flat, width, nil
}

// WriteScores copies logits [B, C] into scores[b][c], rejecting a non-finite value.
func WriteScores(model string, logits *nn.Var, scores [][]float32) error {
	data := logits.Data()
	for r, row := range scores {
		for c := range row {
			v := data[r*len(row)+c]
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%s: score of batch row %d candidate %d is %v; the weights have diverged", model, r, c, v)
			}
			row[c] = v
		}
	}
	return nil
}

// RowsOfKind splits the batch's rows by task: rows[datasets.Rec] and rows[datasets.Search]
// list the row indices of each. It returns an error naming a row with another task code.
func RowsOfKind(model string, batch *prep.Batch) ([2][]int32, error) {
	var rows [2][]int32
	for r := range batch.Size {
		k := batch.Kind[r]
		if k != int32(datasets.Rec) && k != int32(datasets.Search) {
			return rows, fmt.Errorf("%s: batch row %d has invalid task code %d", model, r, k)
		}
		rows[k] = append(rows[k], int32(r))
	}
	return rows, nil
}

// Normalize returns the rows of x [..., d] divided by sqrt(‖x‖² + d·eps), which for eps ≪ ‖x‖²
// is the unit vector x/‖x‖ used by cosine similarity. nn has no square-root op, so the norm
// comes from LayerNorm over [x, −x]: that vector has mean 0 and variance ‖x‖²/d, so its
// normalised first half is x·sqrt(d)/sqrt(‖x‖² + d·eps). A zero row stays zero.
func Normalize(x *nn.Var, eps float32) *nn.Var {
	d := x.Shape()[len(x.Shape())-1]
	both := nn.LayerNorm(nn.Concat(-1, x, nn.Scale(x, -1)), nil, nil, eps)
	return nn.Scale(nn.Narrow(both, -1, 0, d), float32(1/math.Sqrt(float64(d))))
}

// Abs returns |x| elementwise as ReLU(x) + ReLU(−x).
func Abs(x *nn.Var) *nn.Var {
	return nn.Add(nn.ReLU(x), nn.ReLU(nn.Scale(x, -1)))
}

// AddTerm returns total + w·term, or w·term when total is nil.
func AddTerm(total, term *nn.Var, w float32) *nn.Var {
	if w != 1 {
		term = nn.Scale(term, w)
	}
	if total == nil {
		return term
	}
	return nn.Add(total, term)
}
