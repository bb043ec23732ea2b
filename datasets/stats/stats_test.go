package stats

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
)

func TestPercentiles(t *testing.T) {
	cases := []struct {
		name string
		in   []int
		want Percentiles
	}{
		{"empty", nil, Percentiles{}},
		{"one", []int{7}, Percentiles{7, 7, 7, 7}},
		// n=10: ranks ceil(1)=1, ceil(5)=5, ceil(9)=9.
		{"ten unsorted", []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, Percentiles{1, 5, 9, 10}},
		// n=4: ranks ceil(0.4)=1, ceil(2)=2, ceil(3.6)=4.
		{"ties", []int{30, 30, 0, 30}, Percentiles{0, 30, 30, 30}},
		{"three", []int{3, 1, 2}, Percentiles{1, 2, 3, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := percentiles(c.in); got != c.want {
				t.Errorf("percentiles(%v) = %+v, want %+v", c.in, got, c.want)
			}
		})
	}
}

// handPrepared keeps one user. The history of its last rec (event 6) has 3 rec and 3 search
// behaviours, and that of its last search (event 5) has 3 rec and 2 search behaviours.
func handPrepared(t *testing.T) *prep.Prepared {
	ds := &datasets.Dataset{Name: "hand", Queries: []datasets.Query{{Words: []int32{0}}}, Words: []string{"a"}}
	for i := range 150 {
		ds.Items = append(ds.Items, datasets.Item{Key: fmt.Sprint(i)})
	}
	r := func(t int64, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Rec, Item: item, Query: -1}
	}
	s := func(t int64, clicks ...int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Search, Item: clicks[0], Query: 0, Clicks: clicks}
	}
	ds.Users = []datasets.User{{Key: "u", Stream: []datasets.Behavior{
		s(1, 1), r(2, 2), r(3, 3), s(4, 4), r(5, 5), s(6, 6, 7, 8), r(7, 9),
	}}}
	p, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestComputeHand(t *testing.T) {
	s := Compute(handPrepared(t))
	if diff := cmp.Diff([2][3]int{{1, 1, 1}, {2, 1, 1}}, s.Samples); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	want := [2]Percentiles{{3, 3, 3, 3}, {3, 3, 3, 3}}
	if diff := cmp.Diff(want, s.RecHistory); diff != "" {
		t.Errorf("rec history (-want +got):\n%s", diff)
	}
	want = [2]Percentiles{{3, 3, 3, 3}, {2, 2, 2, 2}}
	if diff := cmp.Diff(want, s.SearchHistory); diff != "" {
		t.Errorf("search history (-want +got):\n%s", diff)
	}
	if s.SearchShare != 0.5 {
		t.Errorf("search share %v, want 0.5", s.SearchShare)
	}
	if s.Behaviors != [2]int{4, 3} {
		t.Errorf("behaviours %v, want [4 3]", s.Behaviors)
	}
}

func TestWrite(t *testing.T) {
	cfg, err := synthetic.Preset(synthetic.ShapeAmazon, synthetic.SizeTiny)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := Compute(p)
	var out strings.Builder
	if err := s.Write(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range [][]string{
		{"dataset", "synthetic-amazon-tiny"},
		{"users", "(kept)", fmt.Sprint(s.Users), fmt.Sprintf("(%d)", s.KeptUsers)},
		{"kept", fmt.Sprint(p.Report.Kept[0]), fmt.Sprint(p.Report.Kept[1])},
		{"rec", fmt.Sprint(s.Behaviors[0]), fmt.Sprint(s.Samples[0][prep.Train]), fmt.Sprint(s.Samples[0][prep.Valid]),
			fmt.Sprint(s.Samples[0][prep.Test]), s.RecHistory[0].String(), s.SearchHistory[0].String()},
	} {
		if !hasRow(text, want) {
			t.Errorf("output lacks a row with fields %q:\n%s", want, text)
		}
	}
	t.Logf("\n%s", text)
}

// hasRow reports whether some line of text splits into exactly the given fields.
func hasRow(text string, fields []string) bool {
	for line := range strings.Lines(text) {
		if slices.Equal(strings.Fields(line), fields) {
			return true
		}
	}
	return false
}
