package pop

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
)

// handData has 5 items; training rec clicks on items 1, 1, 3 and search clicks on 2, 2, 2, 0.
func handData() *prep.Prepared {
	p := &prep.Prepared{Dataset: &datasets.Dataset{Name: "hand", Items: make([]datasets.Item, 5)}}
	for _, item := range []int32{1, 1, 3} {
		p.Tasks[datasets.Rec].Train = append(p.Tasks[datasets.Rec].Train, prep.Sample{Target: item})
	}
	for _, item := range []int32{2, 2, 2, 0} {
		p.Tasks[datasets.Search].Train = append(p.Tasks[datasets.Search].Train, prep.Sample{Target: item})
	}
	// Validation and test samples must not count.
	p.Tasks[datasets.Rec].Valid = []prep.Sample{{Target: 4}}
	p.Tasks[datasets.Rec].Test = []prep.Sample{{Target: 4}}
	return p
}

func TestScoreHandCounts(t *testing.T) {
	m, err := New(handData())
	if err != nil {
		t.Fatal(err)
	}
	batch := &prep.Batch{Size: 2, Kind: []int32{int32(datasets.Rec), int32(datasets.Search)}}
	candidates := [][]int32{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}}
	scores := [][]float32{make([]float32, 5), make([]float32, 5)}
	if err := m.Score(nil, batch, candidates, scores); err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{0, 2, 0, 1, 0}, {0, 0, 3, 0, 1}}
	if diff := cmp.Diff(want, scores); diff != "" {
		t.Errorf("scores differ from the hand counts (-want +got):\n%s", diff)
	}
	if got := m.Count(datasets.Rec, 4); got != 0 {
		t.Errorf("rec count of item 4 = %v, want 0: validation and test positives must not count", got)
	}
	if len(m.Params()) != 0 {
		t.Errorf("Params() has %d entries, want none", len(m.Params()))
	}
}

func TestScoreErrors(t *testing.T) {
	recOnly, err := New(handData(), datasets.Rec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		kind       int32
		candidates []int32
		wanted     string
	}{
		{"other task", int32(datasets.Search), []int32{0, 1}, "does not score"},
		{"invalid task", 7, []int32{0, 1}, "invalid task code 7"},
		{"item out of range", int32(datasets.Rec), []int32{0, 5}, "item 5"},
		{"negative item", int32(datasets.Rec), []int32{-1, 0}, "item -1"},
	}
	for _, tt := range tests {
		batch := &prep.Batch{Size: 1, Kind: []int32{tt.kind}}
		err := recOnly.Score(nil, batch, [][]int32{tt.candidates}, [][]float32{make([]float32, 2)})
		if err == nil || !strings.Contains(err.Error(), tt.wanted) {
			t.Errorf("%s: Score returned %v, want an error containing %q", tt.name, err, tt.wanted)
		}
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(handData(), datasets.Rec, datasets.Rec); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("New with rec twice returned %v, want an error", err)
	}
	if _, err := New(handData(), datasets.Kind(9)); err == nil || !strings.Contains(err.Error(), "invalid task") {
		t.Errorf("New with task 9 returned %v, want an error", err)
	}
	bad := handData()
	bad.Tasks[datasets.Search].Train[1].Target = 5
	if _, err := New(bad); err == nil || !strings.Contains(err.Error(), "search training sample 1") {
		t.Errorf("New with target 5 of 5 items returned %v, want an error naming the sample", err)
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil) returned no error")
	}
}

// TestBeatsRandomOnSynthetic ranks the tiny preset's test cases by popularity and compares
// the expected HR@10 over random tie orders with random scoring's 10/100.
func TestBeatsRandomOnSynthetic(t *testing.T) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range []datasets.Kind{datasets.Rec, datasets.Search} {
		hr := expectedHR10(t, m, data, task)
		if !(hr > 0.2) {
			t.Errorf("%s test HR@10 = %.4f; want above 0.2, twice random's 0.1", task, hr)
		}
	}
}

// expectedHR10 returns the mean over task's test cases of P(rank < 10) when tied candidates
// are ordered at random: with g candidates above the positive and e tied with it, the rank is
// uniform on g..g+e.
func expectedHR10(t *testing.T, m *Model, data *prep.Prepared, task datasets.Kind) float64 {
	t.Helper()
	cases := data.Tasks[task].Test
	sum := 0.0
	for i := range cases {
		items := data.Candidates(task, prep.Test, i)
		scores := [][]float32{make([]float32, len(items))}
		batch := &prep.Batch{Size: 1, Kind: []int32{int32(task)}}
		if err := m.Score(nil, batch, [][]int32{items}, scores); err != nil {
			t.Fatal(err)
		}
		greater, ties := 0, 0
		for _, s := range scores[0][1:] {
			switch {
			case s > scores[0][0]:
				greater++
			case s == scores[0][0]:
				ties++
			}
		}
		sum += min(1, max(0, float64(10-greater)/float64(ties+1)))
	}
	return sum / float64(len(cases))
}
