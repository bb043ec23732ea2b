package optim

import (
	"math"
	"testing"
)

func TestEarlyStopping(t *testing.T) {
	cases := []struct {
		name      string
		patience  int
		metrics   []float64
		stopAt    int // index of the epoch that returns stop, -1 for none
		bestEpoch int
		best      float64
	}{
		// The tie at epoch 2 does not improve, so epochs 2–6 are five without improvement.
		{"tie is not better", 5, []float64{0.1, 0.3, 0.3, 0.2, 0.25, 0.29, 0.3, 0.9}, 6, 1, 0.3},
		{"keeps improving", 5, []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, -1, 5, 0.6},
		{"nan never improves", 2, []float64{0.4, math.NaN(), math.NaN()}, 2, 0, 0.4},
		{"late improvement resets", 2, []float64{0.1, 0.0, 0.2, 0.1, 0.1}, 4, 2, 0.2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := NewEarlyStopping(c.patience)
			if err != nil {
				t.Fatalf("NewEarlyStopping: %v", err)
			}
			stopAt := -1
			for i, m := range c.metrics {
				if _, stop := e.Observe(i, m); stop {
					stopAt = i
					break
				}
			}
			if stopAt != c.stopAt {
				t.Errorf("stopped at epoch %d, want %d", stopAt, c.stopAt)
			}
			if e.BestEpoch() != c.bestEpoch {
				t.Errorf("BestEpoch() = %d, want %d", e.BestEpoch(), c.bestEpoch)
			}
			if e.Best() != c.best {
				t.Errorf("Best() = %v, want %v", e.Best(), c.best)
			}
		})
	}
}

func TestEarlyStoppingImproved(t *testing.T) {
	e, _ := NewEarlyStopping(5)
	want := []bool{true, false, true}
	for i, m := range []float64{0.1, 0.05, 0.2} {
		if improved, _ := e.Observe(i, m); improved != want[i] {
			t.Errorf("epoch %d: improved = %v, want %v", i, improved, want[i])
		}
	}
	if e.EpochsSinceBest() != 0 {
		t.Errorf("EpochsSinceBest() = %d, want 0", e.EpochsSinceBest())
	}
}

func TestEarlyStoppingState(t *testing.T) {
	if _, err := NewEarlyStopping(0); err == nil {
		t.Errorf("NewEarlyStopping(0) returned no error")
	}
	a, _ := NewEarlyStopping(2)
	a.Observe(0, 0.5)
	a.Observe(1, 0.4)
	b, _ := NewEarlyStopping(2)
	if err := b.SetState(a.State()); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if _, stop := b.Observe(2, 0.3); !stop {
		t.Errorf("resumed tracker did not stop after its second bad epoch")
	}
	if b.BestEpoch() != 0 {
		t.Errorf("BestEpoch() = %d, want 0", b.BestEpoch())
	}
	if err := b.SetState(EarlyStoppingState{Epochs: -1}); err == nil {
		t.Errorf("SetState accepted a negative counter")
	}
}
