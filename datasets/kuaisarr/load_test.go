package kuaisarr

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/srbench/srbench/datasets"
)

var equateEmpty = cmpopts.EquateEmpty()

// fixtureDataset is what testdata/ loads into with SearchProb 1, worked out by hand. Every click
// gets a search 1 ms earlier. Level-3 code 284 and level-4 code 32 label 5 of 6 videos, so they
// end the path. Level-1 code 17 labels exactly half of them and stays.
func fixtureDataset() *datasets.Dataset {
	search := func(t int64, q, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Search, Item: item, Query: q, Clicks: []int32{item}}
	}
	return &datasets.Dataset{
		Name: "kuaisar-r",
		Users: []datasets.User{
			{Key: "0", Features: []int32{4, 1, 0, 1}, Stream: []datasets.Behavior{
				search(1685336204570, 0, 0), search(1685336204570, 1, 1),
				search(1685336306019, 2, 2),
			}},
			{Key: "1", Features: []int32{5, 2, 4, 2}, Stream: []datasets.Behavior{
				search(1685336400000, 2, 2), search(1685336500000, 3, 3),
			}},
		},
		Items: []datasets.Item{
			{Key: "1", Categories: []int32{0, 1}},
			{Key: "2", Categories: []int32{0, 1, 2}},
			{Key: "3", Categories: []int32{3, 4}},
			{Key: "4", Categories: []int32{0}},
		},
		Queries:            []datasets.Query{{Words: []int32{0, 1}}, {Words: []int32{0, 1, 2}}, {Words: []int32{3, 4}}, {Words: []int32{0}}},
		Words:              []string{"c1_17", "c2_143", "c3_7", "c1_33", "c2_206"},
		Categories:         []string{"c1_17", "c2_143", "c3_7", "c1_33", "c2_206"},
		FeatureCardinality: []int{6, 3, 5, 3},
	}
}

func fixtureReport() *datasets.LoadReport {
	r := datasets.NewLoadReport("kuaisar-r", datasets.Fail)
	r.RowsRead = map[string]int{InteractionFile: 9, VideoFile: 6, UserFile: 3}
	r.Ignored = map[string]int{
		InteractionFile + ": is_click = 0 (an impression, not a behaviour)": 2,
		VideoFile + ": video that no behaviour references":                  2,
	}
	r.Duplicates = map[string]int{InteractionFile + ": exact duplicate row": 1}
	r.UnknownIDs = map[string]int{InteractionFile + ": item not in " + VideoFile: 1}
	r.UsersDropped = map[string]int{"no rows that are behaviours": 1}
	// With probability 1 every click becomes a search, so both users search only.
	r.SearchOnlyUsers = 2
	r.Notes = []string{
		"video_features.csv: code 284 of level 3 labels 83.3% of videos (over 50%), so it is read as an empty level and ends the category path",
		"video_features.csv: code 32 of level 4 labels 83.3% of videos (over 50%), so it is read as an empty level and ends the category path",
		"generated 5 search sessions from category paths (probability 1 per click, seed 7)",
	}
	return r
}

func TestLoadFixture(t *testing.T) {
	d, report, err := Load("testdata", Options{SearchProb: 1, Seed: 7})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff(fixtureDataset(), d, equateEmpty); diff != "" {
		t.Errorf("dataset mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fixtureReport(), report, equateEmpty); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadPlaceholderShareOne(t *testing.T) {
	d, report, err := Load("testdata", Options{SearchProb: 1, PlaceholderShare: 1})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []string{"c1_17", "c2_143", "c3_7", "c4_32"}
	var got []string
	for _, c := range d.Items[1].Categories {
		got = append(got, d.Categories[c])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("item 2 path with detection off (-want +got):\n%s", diff)
	}
	for _, n := range report.Notes {
		if strings.Contains(n, "empty level") {
			t.Errorf("unexpected placeholder note %q", n)
		}
	}
}

func TestLoadOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"negative prob", Options{SearchProb: -0.1}, "search_prob -0.1"},
		{"prob over one", Options{SearchProb: 1.5}, "search_prob 1.5"},
		{"NaN prob", Options{SearchProb: math.NaN()}, "search_prob NaN"},
		{"share over one", Options{PlaceholderShare: 2}, "PlaceholderShare 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Load("testdata", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v does not contain %q", err, tc.want)
			}
		})
	}
}

func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{InteractionFile, VideoFile, UserFile} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func setLine(t *testing.T, path string, n int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[n-1] = text
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadBadRows(t *testing.T) {
	cases := []struct {
		name, file string
		line       int
		text       string
		// wantInError are substrings of the Fail error; wantReason is the Skip count's key.
		wantInError []string
		wantReason  string
	}{
		{"timestamp", InteractionFile, 3, "0,1,yesterday,1",
			[]string{"df.csv:3:", `field "timestamp"`, `"yesterday"`, "milliseconds"}, `df.csv: field "timestamp": invalid value`},
		{"infinite timestamp", InteractionFile, 3, "0,1,inf,1",
			[]string{"df.csv:3:", `field "timestamp"`, `"inf"`}, `df.csv: field "timestamp": invalid value`},
		{"is_click", InteractionFile, 4, "0,3,1685336306019.0,yes",
			[]string{"df.csv:4:", `field "is_click"`, `"yes"`, "want 0 or 1"}, `df.csv: field "is_click": invalid value`},
		{"field count", InteractionFile, 5, "0,2,1685336204570.0,1,9",
			[]string{"df.csv:5:", "wrong number of fields", "row has 5 fields, want 4"}, "df.csv: wrong number of fields"},
		{"category code", VideoFile, 3, "1,0,28,17,x143,284,32",
			[]string{"video_features.csv:3:", `field "second_level_category_name"`, `"x143"`}, `video_features.csv: field "second_level_category_name": invalid value`},
		{"conflicting video", VideoFile, 7, "1,0,28,40,143,284,5",
			[]string{"video_features.csv:7:", `field "video_id"`, `"1"`, "duplicate id", "line 3"}, `video_features.csv: field "video_id": duplicate id`},
		{"user code", UserFile, 2, "0,4,1,-3,1",
			[]string{"user_features.csv:2:", `field "search_active_level"`, `"-3"`}, `user_features.csv: field "search_active_level": invalid value`},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/fail", func(t *testing.T) {
			dir := copyFixture(t)
			setLine(t, filepath.Join(dir, tc.file), tc.line, tc.text)
			_, _, err := Load(dir, Options{})
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, want := range tc.wantInError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
		t.Run(tc.name+"/skip", func(t *testing.T) {
			dir := copyFixture(t)
			setLine(t, filepath.Join(dir, tc.file), tc.line, tc.text)
			_, report, err := Load(dir, Options{OnBadRow: datasets.Skip})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := report.Skipped[tc.wantReason]; got != 1 || report.SkippedTotal() != 1 {
				t.Errorf("Skipped[%q] = %d (total %d), want 1; report:\n%s", tc.wantReason, got, report.SkippedTotal(), report)
			}
		})
	}
}

func TestGenerateSearchesSeeded(t *testing.T) {
	load := func(seed uint64) *datasets.Dataset {
		d, _, err := Load("testdata", Options{SearchProb: 0.5, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if diff := cmp.Diff(load(3), load(3)); diff != "" {
		t.Errorf("same seed gave different datasets (-first +second):\n%s", diff)
	}
	differs := false
	for seed := uint64(4); seed < 12 && !differs; seed++ {
		differs = !cmp.Equal(load(3), load(seed))
	}
	if !differs {
		t.Error("seeds 4..11 all gave the dataset of seed 3; the seed seems unused")
	}
}
