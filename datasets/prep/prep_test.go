package prep

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
)

func rec(t int64, item int32) datasets.Behavior {
	return datasets.Behavior{Time: t, Kind: datasets.Rec, Item: item, Query: -1}
}

func search(t int64, query int32, clicks ...int32) datasets.Behavior {
	first := int32(-1)
	if len(clicks) > 0 {
		first = clicks[0]
	}
	return datasets.Behavior{Time: t, Kind: datasets.Search, Item: first, Query: query, Clicks: clicks}
}

// handDataset has 200 items, 3 queries and three users:
//
//	A: kept; its first search and first rec lack an earlier rec, the search at t=30 ties a rec
//	   (which stays out of its history because it is not strictly earlier),
//	   and its last session has 6 clicks (one past MaxClicks).
//	B: dropped with 3 rec and 1 search sample; its first search lacks an earlier search.
//	C: dropped with 2 rec and no search sample; it has an empty session.
func handDataset() *datasets.Dataset {
	ds := &datasets.Dataset{
		Name:    "hand",
		Queries: []datasets.Query{{Words: []int32{0}}, {Words: []int32{1, 2}}, {Words: []int32{2, 0, 1}}},
		Words:   []string{"a", "b", "c"},
	}
	for i := range 200 {
		ds.Items = append(ds.Items, datasets.Item{Key: fmt.Sprint("i", i)})
	}
	ds.Users = []datasets.User{
		{Key: "A", Stream: []datasets.Behavior{
			search(10, 0, 1, 2),
			rec(20, 3),
			rec(30, 4),
			search(30, 1, 5),
			rec(40, 6),
			search(50, 2, 7, 8, 9, 10, 11, 12),
			rec(60, 13),
		}},
		{Key: "B", Stream: []datasets.Behavior{
			rec(10, 1), search(11, 0, 1), rec(12, 2), search(13, 0, 2), rec(14, 3), rec(15, 4),
		}},
		{Key: "C", Stream: []datasets.Behavior{
			rec(10, 1), search(11, 0), rec(12, 2), rec(13, 3),
		}},
	}
	return ds
}

func mustPrepare(t *testing.T, ds *datasets.Dataset, opts Options) *Prepared {
	t.Helper()
	p, err := Prepare(ds, opts)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return p
}

func TestPrepareReport(t *testing.T) {
	p := mustPrepare(t, handDataset(), DefaultOptions())
	want := Report{
		Users: 3, KeptUsers: 1,
		Behaviors:       [2]int{4 + 4 + 3, 3 + 2 + 1},
		EmptySessions:   1,
		ExtraClicks:     1,
		Formed:          [2]int{4 + 4 + 3, 2 + 1 + 5 + 2},
		NoEarlierRec:    [2]int{1 + 1 + 1, 2},
		NoEarlierSearch: [2]int{0, 1},
		FewSamplesUsers: 2,
		FewSamples:      [2]int{3 + 2, 1},
		Kept:            [2]int{3, 6},
	}
	if diff := cmp.Diff(want, p.Report); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	for k := range 2 {
		r := p.Report
		sum := r.NoEarlierRec[k] + r.NoEarlierSearch[k] + r.FewSamples[k] + r.FewNegatives[k] + r.Kept[k]
		if sum != r.Formed[k] {
			t.Errorf("kind %d: filters sum to %d, formed %d", k, sum, r.Formed[k])
		}
	}
}

func TestPrepareSplit(t *testing.T) {
	p := mustPrepare(t, handDataset(), DefaultOptions())
	want := [2]Task{
		datasets.Rec: {
			Train: []Sample{{0, 2, 4}},
			Valid: []Sample{{0, 4, 6}},
			Test:  []Sample{{0, 6, 13}},
		},
		datasets.Search: {
			Train: []Sample{{0, 3, 5}, {0, 5, 7}, {0, 5, 8}, {0, 5, 9}},
			Valid: []Sample{{0, 5, 10}},
			Test:  []Sample{{0, 5, 11}},
		},
	}
	for k := range 2 {
		for _, split := range []Split{Train, Valid, Test} {
			got := p.Tasks[k].Samples(split)
			if diff := cmp.Diff(want[k].Samples(split), got); diff != "" {
				t.Errorf("%v %v samples (-want +got):\n%s", datasets.Kind(k), split, diff)
			}
		}
	}
}

func TestHistoryContent(t *testing.T) {
	p := mustPrepare(t, handDataset(), DefaultOptions())
	cases := []struct {
		name       string
		sample     Sample
		rec, srch  []int32
		maxRec     int
		wantRecLen int
	}{
		{"tie excludes same-time rec", Sample{0, 3, 5}, []int32{1}, []int32{0}, 30, 1},
		{"search test", Sample{0, 5, 11}, []int32{1, 2, 4}, []int32{0, 3}, 30, 3},
		{"rec test", Sample{0, 6, 13}, []int32{1, 2, 4}, []int32{0, 3, 5}, 30, 3},
		{"truncated to last two", Sample{0, 6, 13}, []int32{2, 4}, []int32{3, 5}, 2, 2},
		{"first event empty", Sample{0, 0, 1}, []int32{}, []int32{}, 30, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := *p
			q.Options.MaxRecHistory, q.Options.MaxSearchHistory = c.maxRec, c.maxRec
			rec, srch := q.History(c.sample)
			if diff := cmp.Diff(c.rec, rec); diff != "" {
				t.Errorf("rec history (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.srch, srch); diff != "" {
				t.Errorf("search history (-want +got):\n%s", diff)
			}
			for _, e := range append(slices.Clone(rec), srch...) {
				if e >= c.sample.Event {
					t.Errorf("history event %d is not before sample event %d", e, c.sample.Event)
				}
			}
		})
	}
}

func TestFewNegativesDropsUser(t *testing.T) {
	ds := handDataset()
	ds.Items = ds.Items[:110] // user A touched 13 items, so 97 < 99 remain
	p := mustPrepare(t, ds, DefaultOptions())
	if p.Report.FewNegativesUsers != 1 || p.Report.FewNegatives != [2]int{3, 6} {
		t.Errorf("FewNegativesUsers = %d, FewNegatives = %v; want 1, [3 6]", p.Report.FewNegativesUsers, p.Report.FewNegatives)
	}
	if p.Report.KeptUsers != 0 || len(p.Tasks[0].Test) != 0 {
		t.Errorf("kept users %d, rec test samples %d; want 0 and 0", p.Report.KeptUsers, len(p.Tasks[0].Test))
	}
}

func TestMinSamplesOption(t *testing.T) {
	opts := DefaultOptions()
	opts.MinSamplesPerTask = 4 // user A has only 3 rec samples
	p := mustPrepare(t, handDataset(), opts)
	if p.Report.KeptUsers != 0 || p.Report.FewSamplesUsers != 3 {
		t.Errorf("kept %d, few-samples users %d; want 0 and 3", p.Report.KeptUsers, p.Report.FewSamplesUsers)
	}
}

func TestMaxClicksOption(t *testing.T) {
	opts := DefaultOptions()
	opts.MaxClicks = 2
	p := mustPrepare(t, handDataset(), opts)
	want := []Sample{{0, 3, 5}, {0, 5, 7}, {0, 5, 8}}
	got := slices.Concat(p.Tasks[datasets.Search].Train, p.Tasks[datasets.Search].Valid, p.Tasks[datasets.Search].Test)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("search samples with MaxClicks 2 (-want +got):\n%s", diff)
	}
	if p.Report.ExtraClicks != 4 {
		t.Errorf("ExtraClicks = %d, want 4", p.Report.ExtraClicks)
	}
}

func TestPrepareRejects(t *testing.T) {
	bad := DefaultOptions()
	bad.MinSamplesPerTask = 2
	if _, err := Prepare(handDataset(), bad); err == nil {
		t.Error("MinSamplesPerTask 2 accepted")
	}
	ds := handDataset()
	ds.Users[0].Stream[1].Item = 999
	if _, err := Prepare(ds, DefaultOptions()); err == nil {
		t.Error("item id out of range accepted")
	}
}

func TestQueryTable(t *testing.T) {
	opts := DefaultOptions()
	opts.MaxQueryWords = 2
	p := mustPrepare(t, handDataset(), opts)
	want := []int32{0, -1, 1, 2, 2, 0}
	if diff := cmp.Diff(want, p.QueryWords); diff != "" {
		t.Errorf("query table (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{1, 2, 2}, p.QueryLen); diff != "" {
		t.Errorf("query lengths (-want +got):\n%s", diff)
	}
}
