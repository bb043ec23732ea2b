package prep

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/synthetic"
)

func pad(n int, v int32, tail ...int32) []int32 {
	out := make([]int32, n-len(tail), n)
	for i := range out {
		out[i] = v
	}
	return append(out, tail...)
}

func TestBatchRecRow(t *testing.T) {
	p := mustPrepare(t, handDataset(), DefaultOptions())
	bb := NewBatchBuilder(p, 4)
	// Row 0 is the rec test sample (event 6), row 1 the search validation sample (event 5).
	b := bb.Build([]Sample{{0, 6, 13}, {0, 5, 10}}, nil)
	if b.Size != 2 {
		t.Fatalf("Size = %d, want 2", b.Size)
	}
	if diff := cmp.Diff([]int32{13, 10}, b.Target[:2]); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{-1, 2}, b.Query[:2]); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{int32(datasets.Rec), int32(datasets.Search)}, b.Kind[:2]); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pad(30, -1, 3, 4, 6), b.RecItems[:30]); diff != "" {
		t.Errorf("rec history items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{20, 30, 40}, b.RecTimes[27:30]); diff != "" {
		t.Errorf("rec history times (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pad(30, -1, 0, 1, 2), b.SearchQueries[:30]); diff != "" {
		t.Errorf("search history queries (-want +got):\n%s", diff)
	}
	clicks := b.SearchClicks[27*5 : 30*5]
	wantClicks := []int32{1, 2, -1, -1, -1, 5, -1, -1, -1, -1, 7, 8, 9, 10, 11}
	if diff := cmp.Diff(wantClicks, clicks); diff != "" {
		t.Errorf("search history clicks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{2, 1, 5}, b.SearchClickLen[27:30]); diff != "" {
		t.Errorf("search click lengths (-want +got):\n%s", diff)
	}
	// Stream order 0:S 1:R 2:R 3:S 4:R 5:S, right-aligned in 60 positions.
	s, r := int32(datasets.Search), int32(datasets.Rec)
	if diff := cmp.Diff(pad(60, -1, s, r, r, s, r, s), b.MergedKind[:60]); diff != "" {
		t.Errorf("merged kinds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pad(60, -1, 27, 27, 28, 28, 29, 29), b.MergedSlot[:60]); diff != "" {
		t.Errorf("merged slots (-want +got):\n%s", diff)
	}
	if b.RecLen[0] != 3 || b.SearchLen[0] != 3 || b.MergedLen[0] != 6 {
		t.Errorf("lengths rec %d search %d merged %d, want 3 3 6", b.RecLen[0], b.SearchLen[0], b.MergedLen[0])
	}
	// Row 1: the history of the search sample at event 5 has searches 0 and 3 only.
	if diff := cmp.Diff(pad(30, -1, 0, 1), b.SearchQueries[30:60]); diff != "" {
		t.Errorf("row 1 search history (-want +got):\n%s", diff)
	}
}

// TestBatchReuse checks that a second, shorter build leaves no stale entries.
func TestBatchReuse(t *testing.T) {
	p := mustPrepare(t, handDataset(), DefaultOptions())
	bb := NewBatchBuilder(p, 1)
	bb.Build([]Sample{{0, 6, 13}}, nil)
	b := bb.Build([]Sample{{0, 0, 1}}, nil)
	if diff := cmp.Diff(pad(30, -1), b.RecItems); diff != "" {
		t.Errorf("rec items after reuse (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pad(30*5, -1), b.SearchClicks); diff != "" {
		t.Errorf("search clicks after reuse (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pad(60, -1), b.MergedKind); diff != "" {
		t.Errorf("merged kinds after reuse (-want +got):\n%s", diff)
	}
	if b.MergedLen[0] != 0 || b.RecTimes[29] != 0 {
		t.Errorf("merged length %d, last rec time %d; want 0, 0", b.MergedLen[0], b.RecTimes[29])
	}
}

// TestBatchMatchesHistory checks the batch against Prepared.History on every test sample of a
// generated dataset, with indices and training negatives.
func TestBatchMatchesHistory(t *testing.T) {
	p := mustPrepare(t, tinySynthetic(t, synthetic.ShapeKuaiSAR), DefaultOptions())
	samples := p.Tasks[datasets.Search].Train
	indices := []int{5, 0, 17, len(samples) - 1}
	bb := NewBatchBuilder(p, len(indices))
	b := bb.BuildTrain(samples, indices, 3)
	for row, i := range indices {
		s := samples[i]
		rec, search := p.History(s)
		stream := p.Dataset.Users[s.User].Stream
		for j, e := range rec {
			slot := row*30 + 30 - len(rec) + j
			if b.RecItems[slot] != stream[e].Item {
				t.Errorf("row %d slot %d: item %d, want %d", row, slot, b.RecItems[slot], stream[e].Item)
			}
		}
		for j, e := range search {
			slot := row*30 + 30 - len(search) + j
			if b.SearchQueries[slot] != stream[e].Query {
				t.Errorf("row %d slot %d: query %d, want %d", row, slot, b.SearchQueries[slot], stream[e].Query)
			}
		}
		neg := p.TrainNegatives(s, 3, nil)
		if !slices.Equal(neg, b.Negatives[row*4:(row+1)*4]) {
			t.Errorf("row %d: negatives %v, want %v", row, b.Negatives[row*4:(row+1)*4], neg)
		}
		if b.Query[row] != stream[s.Event].Query {
			t.Errorf("row %d: query %d, want %d", row, b.Query[row], stream[s.Event].Query)
		}
	}
}

// TestSplitIsLastByTime checks on generated data that test follows validation, which follows
// every training sample of the same user and scenario.
func TestSplitIsLastByTime(t *testing.T) {
	p := mustPrepare(t, tinySynthetic(t, synthetic.ShapeKuaiSAR), DefaultOptions())
	for k := range 2 {
		task := &p.Tasks[k]
		lastTrain := make(map[int32]Sample)
		for _, s := range task.Train {
			lastTrain[s.User] = s
		}
		for i, v := range task.Valid {
			te := task.Test[i]
			if te.User != v.User {
				t.Fatalf("kind %d row %d: test user %d, valid user %d", k, i, te.User, v.User)
			}
			tr, ok := lastTrain[v.User]
			if !ok {
				t.Fatalf("kind %d: user %d has no training sample", k, v.User)
			}
			if !(tr.Event <= v.Event && v.Event <= te.Event) {
				t.Errorf("kind %d user %d: events train %d, valid %d, test %d not in order", k, v.User, tr.Event, v.Event, te.Event)
			}
		}
	}
}
