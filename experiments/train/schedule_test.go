package train

import (
	"slices"
	"testing"

	"github.com/srbench/srbench/datasets"
)

func TestScheduleJoint(t *testing.T) {
	tests := []struct {
		name              string
		nRec, nSearch     int
		batch, wantSteps  int
		maxSearch         int
		emptySearchAllows bool
	}{
		{"tiny preset", 12874, 7167, 1024, 13, 552, false},
		{"exact multiple", 2048, 300, 1024, 2, 150, false},
		{"one short batch", 10, 4, 64, 1, 4, false},
		{"fewer search than steps", 10, 3, 2, 5, 1, true},
	}
	both := taskSet{true, true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchedule(both, [2]int{tt.nRec, tt.nSearch}, tt.batch, 7, 0)
			if s.steps != tt.wantSteps {
				t.Fatalf("steps = %d, want ⌈%d/%d⌉ = %d", s.steps, tt.nRec, tt.batch, tt.wantSteps)
			}
			var seen [2][]int
			for step := range s.steps {
				b := s.batch(step)
				if len(b[datasets.Rec]) == 0 || len(b[datasets.Rec]) > tt.batch {
					t.Errorf("step %d: %d rec samples, want 1 to %d", step, len(b[datasets.Rec]), tt.batch)
				}
				n := len(b[datasets.Search])
				if n > tt.maxSearch || (n == 0 && !tt.emptySearchAllows) {
					t.Errorf("step %d: %d search samples, want 1 to ⌈%d/%d⌉ = %d", step, n, tt.nSearch, s.steps, tt.maxSearch)
				}
				for k := range b {
					seen[k] = append(seen[k], b[k]...)
				}
			}
			for k, n := range []int{tt.nRec, tt.nSearch} {
				slices.Sort(seen[k])
				if len(seen[k]) != n || (n > 0 && (seen[k][0] != 0 || seen[k][n-1] != n-1)) || len(slices.Compact(seen[k])) != n {
					t.Errorf("task %d: the epoch's batches do not cover each of the %d samples exactly once", k, n)
				}
			}
		})
	}
}

func TestScheduleSingleTask(t *testing.T) {
	s := newSchedule(taskSet{false, true}, [2]int{500, 2500}, 1024, 1, 0)
	if s.steps != 3 {
		t.Fatalf("steps = %d, want ⌈2500/1024⌉ = 3", s.steps)
	}
	for step, want := range []int{1024, 1024, 452} {
		b := s.batch(step)
		if len(b[datasets.Rec]) != 0 || len(b[datasets.Search]) != want {
			t.Errorf("step %d: %d rec and %d search samples, want 0 and %d", step, len(b[datasets.Rec]), len(b[datasets.Search]), want)
		}
	}
}

func TestScheduleOrder(t *testing.T) {
	both := taskSet{true, true}
	counts := [2]int{100, 50}
	a := newSchedule(both, counts, 32, 1, 0)
	again := newSchedule(both, counts, 32, 1, 0)
	nextEpoch := newSchedule(both, counts, 32, 1, 1)
	otherSeed := newSchedule(both, counts, 32, 2, 0)
	if !slices.Equal(a.order[0], again.order[0]) || !slices.Equal(a.order[1], again.order[1]) {
		t.Error("the same seed and epoch gave different orders")
	}
	if slices.Equal(a.order[0], nextEpoch.order[0]) {
		t.Error("epochs 0 and 1 gave the same rec order")
	}
	if slices.Equal(a.order[0], otherSeed.order[0]) {
		t.Error("seeds 1 and 2 gave the same rec order")
	}
	if slices.Equal(a.order[0][:50], a.order[1]) {
		t.Error("rec and search share one shuffle stream")
	}
}

func TestDeriveSeed(t *testing.T) {
	seen := map[uint64][]uint64{}
	for seed := range uint64(4) {
		for epoch := range uint64(4) {
			for worker := range uint64(4) {
				s := deriveSeed(seed, streamDropout, epoch, 0, worker)
				if prev, dup := seen[s]; dup {
					t.Fatalf("deriveSeed gives %#x for both %v and %v", s, prev, []uint64{seed, epoch, worker})
				}
				seen[s] = []uint64{seed, epoch, worker}
			}
		}
	}
}
