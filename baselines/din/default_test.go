package din

import (
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/experiments/train/traintest"
)

// TestDefaultBeatsPop trains on the default synthetic data and requires a higher test
// recommendation NDCG@5 than the popularity ranker (opt-in: SRBENCH_LONG=1).
func TestDefaultBeatsPop(t *testing.T) {
	traintest.BeatsPopOnDefault(t, []datasets.Kind{datasets.Rec}, func(data *prep.Prepared) (train.Model, error) {
		return New(data, DefaultConfig())
	})
}
