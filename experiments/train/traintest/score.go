package traintest

import (
	"math"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// ScoreIndependent scores three recommendation and three search validation cases with
// their 100 candidates in one batch and then each case alone, and fails when a score differs
// by more than 1e-5. NOTE: the tolerance is not 0 because the engine picks its A·Bᵀ kernel by
// the product's row count, so a row's last bits depend on the size of its batch.
func ScoreIndependent(t *testing.T, data *prep.Prepared, score func(*nn.Tape, *prep.Batch, [][]int32, [][]float32) error) {
	t.Helper()
	var samples []prep.Sample
	var kinds []datasets.Kind
	var candidates [][]int32
	for _, k := range []datasets.Kind{datasets.Search, datasets.Rec} {
		for i := range 3 {
			samples = append(samples, data.Tasks[k].Valid[i])
			kinds = append(kinds, k)
			candidates = append(candidates, data.Candidates(k, prep.Valid, i))
		}
	}
	together := make([][]float32, len(samples))
	for i := range together {
		together[i] = make([]float32, len(candidates[i]))
	}
	if err := score(nn.NewTape(1), prep.NewBatchBuilder(data, len(samples)).Build(samples, nil), candidates, together); err != nil {
		t.Fatal(err)
	}
	for i := range samples {
		alone := [][]float32{make([]float32, len(candidates[i]))}
		batch := prep.NewBatchBuilder(data, 1).Build(samples[i:i+1], nil)
		if err := score(nn.NewTape(1), batch, candidates[i:i+1], alone); err != nil {
			t.Fatal(err)
		}
		for c, v := range alone[0] {
			if math.Abs(float64(v-together[i][c])) > 1e-5 {
				t.Errorf("case %d (%s) candidate %d: %v alone, %v in the batch", i, kinds[i], c, v, together[i][c])
				break
			}
		}
	}
}
