package layer

import (
	"math"
	"slices"
	"testing"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// plantedConfig is a small version of the reference model: 60 items in 3 categories
// (category = id mod 3), width 16, 2 heads. The head also reads the GRU's last valid state,
// which carries the most recent item.
var plantedConfig = refConfig{items: 60, dim: 16, heads: 2, feedForward: 32, dropout: 0.1, embedStd: 0.1, headUsesLast: true}

const (
	plantedCategories = 3
	plantedHistory    = 8
	plantedBatch      = 64
)

// plantedBatchOf returns a batch whose label is 1 exactly when the target's category equals
// the category of the most recent history item. Histories have 2 to 8 items, right-padded;
// half the targets are drawn from the matching category, so the classes are balanced.
func plantedBatchOf(seed uint64) *refBatch {
	rng := newRNG(seed)
	n, l := plantedBatch, plantedHistory
	b := &refBatch{history: make([]int32, n*l), lengths: make([]int, n), target: make([]int32, n), labels: make([]float32, n), l: l}
	perCategory := plantedConfig.items / plantedCategories
	for i := range n {
		length := 2 + rng.IntN(l-1)
		b.lengths[i] = length
		for j := range l {
			b.history[i*l+j] = nn.PaddingID
			if j < length {
				b.history[i*l+j] = int32(rng.IntN(plantedConfig.items))
			}
		}
		recent := int(b.history[i*l+length-1]) % plantedCategories
		category := recent
		if rng.IntN(2) == 1 {
			category = (recent + 1 + rng.IntN(plantedCategories-1)) % plantedCategories
		}
		b.target[i] = int32(category + plantedCategories*rng.IntN(perCategory))
		if category == recent {
			b.labels[i] = 1
		}
	}
	return b
}

// trainPlanted trains a fresh planted model for the given steps on `workers` tapes with Adam
// (lr 3e-3) and returns the model and the mean loss of the last 20 steps.
func trainPlanted(t *testing.T, seed uint64, workers, steps int) (*refModel, float64) {
	t.Helper()
	model := newRefModel(plantedConfig, newRNG(seed))
	params := model.Params()
	cfg := optim.DefaultAdamConfig()
	cfg.LR = 3e-3
	adam, err := optim.NewAdam(params, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tapes := make([]*nn.Tape, workers)
	for i := range tapes {
		tapes[i] = nn.NewTape(seed*1000 + uint64(i))
		tapes[i].Train = true
	}
	var recent []float64
	for s := range steps {
		batch := plantedBatchOf(seed*1_000_003 + uint64(s))
		loss, err := nn.ParallelStep(tapes, params, plantedBatch, func(tp *nn.Tape, lo, hi int) (*nn.Var, error) {
			return model.loss(tp, batch, lo, hi), nil
		})
		if err != nil {
			t.Fatalf("step %d: %v", s, err)
		}
		if math.IsNaN(loss) {
			t.Fatalf("step %d: loss is NaN", s)
		}
		if err := adam.Step(); err != nil {
			t.Fatalf("step %d: %v", s, err)
		}
		recent = append(recent, loss)
		if len(recent) > 20 {
			recent = recent[1:]
		}
	}
	mean := 0.0
	for _, l := range recent {
		mean += l
	}
	return model, mean / float64(len(recent))
}

// TestPlantedRule checks that the transformer + GRU + DIN model learns the planted rule: the
// loss must fall from chance (ln 2 ≈ 0.693) to below 0.1 within 400 steps of 64 rows.
func TestPlantedRule(t *testing.T) {
	_, loss := trainPlanted(t, 1, 2, 400)
	const bound = 0.1
	t.Logf("mean loss of the last 20 steps: %.4f (chance %.4f)", loss, math.Ln2)
	if !(loss < bound) {
		t.Fatalf("mean loss of the last 20 steps is %.4f, want < %.2f (chance is %.4f)", loss, bound, math.Ln2)
	}
}

// TestTrainingDeterministic checks that two trainings with the same seed and worker count give
// bit-identical parameters, and that another seed gives different ones.
func TestTrainingDeterministic(t *testing.T) {
	a, _ := trainPlanted(t, 3, 2, 15)
	b, _ := trainPlanted(t, 3, 2, 15)
	c, _ := trainPlanted(t, 4, 2, 15)
	pa, pb, pc := a.Params(), b.Params(), c.Params()
	for i := range pa {
		if !slices.Equal(pa[i].Value.Data, pb[i].Value.Data) {
			t.Fatalf("parameter %s differs between two runs with seed 3", pa[i].Name)
		}
	}
	if slices.Equal(pa[0].Value.Data, pc[0].Value.Data) {
		t.Fatalf("parameter %s is identical for seeds 3 and 4", pa[0].Name)
	}
}
