package train

import (
	"context"
	"math"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// scriptedModel ranks every validation positive at ranks[epoch] (0-based, no ties), so the
// validation NDCG@5 of each epoch is set by the script. Its one parameter moves at every step,
// which lets a test see which epoch's weights were kept.
type scriptedModel struct {
	ranks []int
	epoch int
	w     *nn.Param
}

func newScriptedModel(ranks ...int) *scriptedModel {
	return &scriptedModel{ranks: ranks, w: &nn.Param{Name: "w", Value: nn.NewTensor(1)}}
}

func (m *scriptedModel) Params() []*nn.Param { return []*nn.Param{m.w} }

func (m *scriptedModel) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec} }

func (m *scriptedModel) Loss(t *nn.Tape, rec, _ *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	return nn.Sum(t.Param(m.w)), nil, nil
}

func (m *scriptedModel) Score(_ *nn.Tape, b *prep.Batch, candidates [][]int32, scores [][]float32) error {
	rank := 0
	if m.epoch < len(m.ranks) {
		rank = m.ranks[m.epoch]
	}
	for i, items := range candidates {
		negative := 0
		for j, item := range items {
			if item == b.Target[i] {
				scores[i][j] = -float32(rank) + 0.5
				continue
			}
			scores[i][j] = -float32(negative)
			negative++
		}
	}
	return nil
}

func TestEarlyStoppingScripted(t *testing.T) {
	data := loadTiny(t)
	// NDCG@5 by rank: 0 → 1, 1 → 0.631, 2 → 0.5, 3 → 0.431, 4 → 0.387. Epoch 4 reaches the
	// best rank 1, epoch 5 only ties it, and epochs 5 to 7 make three epochs without a strict
	// improvement, so patience 3 stops after epoch 7 and epoch 8's rank 0 is never seen.
	m := newScriptedModel(4, 2, 2, 1, 1, 3, 2, 0)
	cfg := smallConfig()
	cfg.Epochs = 10
	cfg.Patience = 3
	cfg.LRPatience = 1
	cfg.MaxStepsPerEpoch = 1
	var weights []float32
	opts := quietOptions()
	opts.OnEpoch = func(EpochRecord) error {
		weights = append(weights, m.w.Value.Data[0])
		m.epoch++
		return nil
	}
	res, err := Train(context.Background(), m, data, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}

	if len(res.Epochs) != 7 || !res.StoppedEarly {
		t.Fatalf("ran %d epochs, stopped early %t; want 7 and true", len(res.Epochs), res.StoppedEarly)
	}
	if res.BestEpoch != 4 {
		t.Errorf("best epoch = %d, want 4 (the first to reach rank 1)", res.BestEpoch)
	}
	wantImproved := []bool{true, true, false, true, false, false, false}
	for i, rec := range res.Epochs {
		if rec.Improved != wantImproved[i] {
			t.Errorf("epoch %d improved = %t, want %t", rec.Epoch, rec.Improved, wantImproved[i])
		}
		rank := m.ranks[i]
		want := 0.0
		if rank < 5 {
			want = 1 / math.Log2(float64(rank)+2)
		}
		if math.Abs(rec.Selection-want) > 1e-12 {
			t.Errorf("epoch %d selection = %.6f, want NDCG@5 at rank %d = %.6f", rec.Epoch, rec.Selection, rank, want)
		}
	}
	if got, want := m.w.Value.Data[0], weights[3]; got != want {
		t.Errorf("weight after training = %v, want epoch 4's %v (all: %v)", got, want, weights)
	}
	if got := res.Valid.Scopes["rec"].Randomized["ndcg@5"]; got != res.Epochs[3].Selection {
		t.Errorf("result validation NDCG@5 = %v, want epoch 4's %v", got, res.Epochs[3].Selection)
	}
	// Plateau patience 1: epochs 5 and 6 are two bad epochs in a row, one more than the
	// patience, so the rate drops after epoch 6 and epoch 7 runs at lr·0.1.
	for i, rec := range res.Epochs {
		want := cfg.LR
		if i == 6 {
			want = cfg.LR * cfg.LRFactor
		}
		if math.Abs(rec.LR-want) > 1e-15 {
			t.Errorf("epoch %d lr = %g, want %g", rec.Epoch, rec.LR, want)
		}
	}
}
