package amazon

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/srbench/srbench/datasets"
)

const (
	reviewsFile = "reviews_Kindle_Store_5.json"
	metaFile    = "meta_Kindle_Store.json"
)

var equateEmpty = cmpopts.EquateEmpty()

// fixtureDataset is what testdata/ loads into, worked out by hand. Every item has at most one
// category path with more than one level, so the seed does not matter.
func fixtureDataset() *datasets.Dataset {
	rec := func(t int64, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Rec, Item: item, Query: -1}
	}
	search := func(t int64, q, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Search, Item: item, Query: q, Clicks: []int32{item}}
	}
	return &datasets.Dataset{
		Name: "amazon",
		Users: []datasets.User{
			{Key: "A1", Stream: []datasets.Behavior{
				rec(1356998400000, 0), search(1356998400000, 0, 0), rec(1357084800000, 1), search(1357084800000, 1, 1),
			}},
			{Key: "A2", Stream: []datasets.Behavior{
				rec(1356990000000, 2), search(1356990000000, 2, 2), rec(1357000000000, 1), search(1357000000000, 1, 1),
			}},
			{Key: "A3", Stream: []datasets.Behavior{rec(1357200000000, 3)}},
		},
		Items: []datasets.Item{
			{Key: "B001", Categories: []int32{0, 1, 2}},
			{Key: "B002", Categories: []int32{3, 4, 5}},
			{Key: "B003", Categories: []int32{0, 6, 7}},
			{Key: "B004", Categories: []int32{3}},
		},
		Queries: []datasets.Query{{Words: []int32{0, 1, 2, 3, 4, 5}}, {Words: []int32{6, 7, 8, 9}}, {Words: []int32{0, 9, 10}}},
		Words: []string{"books", "literature", "fiction", "mystery", "thriller", "suspense",
			"kindle", "store", "ebooks", "children", "animals"},
		Categories: []string{"Books", "Literature & Fiction", "Mystery, Thriller & Suspense",
			"Kindle Store", "Kindle eBooks", "Children's eBooks", "Children's Books", "Animals"},
	}
}

func fixtureReport() *datasets.LoadReport {
	r := datasets.NewLoadReport("amazon", datasets.Fail)
	r.RowsRead = map[string]int{reviewsFile: 7, metaFile: 5}
	r.Ignored = map[string]int{
		metaFile + ": item that no review references":                                                      1,
		"search generation: purchase of an item without a multi-level category path (no search generated)": 1,
	}
	r.Duplicates = map[string]int{reviewsFile + ": exact duplicate row": 1}
	r.UnknownIDs = map[string]int{reviewsFile + ": item not in " + metaFile: 1}
	r.RecOnlyUsers = 1
	r.Notes = []string{"search sessions: 0 with published queries, 4 with queries from category paths (seed 0)"}
	return r
}

func TestLoadFixture(t *testing.T) {
	d, report, err := Load("testdata", Options{})
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

func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{reviewsFile, metaFile} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	return dir
}

// writeFile writes text to path, gzip-compressed when path ends in ".gz".
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zw := gzip.NewWriter(f)
		if _, err := zw.Write([]byte(text)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	} else if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func setLine(t *testing.T, path string, n int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[n-1] = text
	writeFile(t, path, strings.Join(lines, "\n"))
}

func TestLoadGzip(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{reviewsFile, metaFile} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name+".gz"), string(data))
	}
	d, _, err := Load(dir, Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := fixtureDataset()
	if diff := cmp.Diff(want, d, equateEmpty); diff != "" {
		t.Errorf("dataset mismatch (-want +got):\n%s", diff)
	}
}

// queryText returns the words of d's query id q joined by spaces.
func queryText(d *datasets.Dataset, q int32) string {
	var words []string
	for _, w := range d.Queries[q].Words {
		words = append(words, d.Words[w])
	}
	return strings.Join(words, " ")
}

// searchQueries returns, per "user/asin", the text of the query of that purchase's search.
func searchQueries(d *datasets.Dataset) map[string]string {
	out := map[string]string{}
	for _, u := range d.Users {
		for _, e := range u.Stream {
			if e.Kind == datasets.Search {
				out[u.Key+"/"+d.Items[e.Item].Key] = queryText(d, e.Query)
			}
		}
	}
	return out
}

func TestLoadPublishedQueries(t *testing.T) {
	dir := copyFixture(t)
	writeFile(t, filepath.Join(dir, "query_text.txt.gz"), "kindle mystery\n\nchildren animals book\n")
	writeFile(t, filepath.Join(dir, "train.qrels.gz"), "A1_0 0 B001 1\nA9_0 0 B001 1\nA1_2 0 B002 0\n")
	writeFile(t, filepath.Join(dir, "test.qrels.gz"), "A2_2 0 B003 1\n")
	files, err := Files(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{reviewsFile, metaFile, "query_text.txt.gz", "test.qrels.gz", "train.qrels.gz"}
	for i := range files {
		files[i] = filepath.Base(files[i])
	}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Errorf("Files mismatch (-want +got):\n%s", diff)
	}
	d, report, err := Load(dir, Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := map[string]string{
		"A1/B001": "kindle mystery",
		"A1/B002": "kindle store ebooks children",
		"A2/B003": "children animals book",
		"A2/B002": "kindle store ebooks children",
	}
	if diff := cmp.Diff(want, searchQueries(d)); diff != "" {
		t.Errorf("queries per purchase (-want +got):\n%s", diff)
	}
	if got := report.UnknownIDs["qrels: (reviewerID, asin) pair without a kept review"]; got != 1 {
		t.Errorf("unmatched qrels = %d, want 1", got)
	}
	if got := report.Ignored["train.qrels.gz: relevance 0"]; got != 1 {
		t.Errorf("relevance-0 qrels = %d, want 1", got)
	}
}

func TestLoadSeededPathChoice(t *testing.T) {
	dir := copyFixture(t)
	setLine(t, filepath.Join(dir, metaFile), 1,
		`{'asin': 'B001', 'categories': [['Books', 'Mystery'], ['Kindle Store', 'Thrillers']]}`)
	load := func(seed uint64) string {
		d, _, err := Load(dir, Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return searchQueries(d)["A1/B001"]
	}
	seen := map[string]bool{}
	for seed := range uint64(16) {
		q := load(seed)
		if again := load(seed); again != q {
			t.Fatalf("seed %d gave %q, then %q", seed, q, again)
		}
		seen[q] = true
	}
	want := map[string]bool{"books mystery": true, "kindle store thrillers": true}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("queries over 16 seeds (-want +got):\n%s", diff)
	}
}

func TestLoadBadLines(t *testing.T) {
	cases := []struct {
		name, file string
		line       int
		text       string
		// wantInError are substrings of the Fail error; wantReason is the Skip count's key.
		wantInError []string
		wantReason  string
	}{
		{"review time", reviewsFile, 2, `{"reviewerID": "A1", "asin": "B002", "unixReviewTime": "abc"}`,
			[]string{reviewsFile + ":2:", `field "unixReviewTime"`, `"\"abc\""`, "Unix time in seconds"},
			reviewsFile + `: field "unixReviewTime": invalid value`},
		{"fractional time", reviewsFile, 2, `{"reviewerID": "A1", "asin": "B002", "unixReviewTime": 1.5}`,
			[]string{reviewsFile + ":2:", `field "unixReviewTime"`, `"1.5"`},
			reviewsFile + `: field "unixReviewTime": invalid value`},
		{"missing asin", reviewsFile, 3, `{"reviewerID": "A2", "unixReviewTime": 1357000000}`,
			[]string{reviewsFile + ":3:", `field "asin": missing field`},
			reviewsFile + `: field "asin": missing field`},
		{"rating", reviewsFile, 3, `{"reviewerID": "A2", "asin": "B002", "overall": 7, "unixReviewTime": 1357000000}`,
			[]string{reviewsFile + ":3:", `field "overall"`, `"7"`, "1 to 5"},
			reviewsFile + `: field "overall": invalid value`},
		{"malformed review", reviewsFile, 1, `{"reviewerID": "A1", "asin": "B001"`,
			[]string{reviewsFile + ":1:", "malformed JSON"},
			reviewsFile + ": malformed JSON"},
		{"malformed meta", metaFile, 4, `{'asin': 'B004', 'categories': [['Kindle Store']}`,
			[]string{metaFile + ":4:", "malformed line", "as Python"},
			metaFile + ": malformed line"},
		{"meta categories", metaFile, 4, `{'asin': 'B004', 'categories': 'Kindle Store'}`,
			[]string{metaFile + ":4:", `field "categories"`, `"Kindle Store"`},
			metaFile + `: field "categories": invalid value`},
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

func TestLoadBadQrels(t *testing.T) {
	cases := []struct {
		name, qrels string
		wantInError []string
	}{
		{"blank query", "A1_1 0 B001 1\n", []string{"x.qrels.gz:1:", `field "topic"`, `"A1_1"`, "unknown query id"}},
		{"query beyond text", "A1_3 0 B001 1\n", []string{"x.qrels.gz:1:", "unknown query id", "3 lines"}},
		{"no underscore", "A1 0 B001 1\n", []string{"x.qrels.gz:1:", `field "topic"`, `"A1"`}},
		{"field count", "\nA1_0 0 B001\n", []string{"x.qrels.gz:2:", "wrong number of fields"}},
		{"relevance", "A1_0 0 B001 yes\n", []string{"x.qrels.gz:1:", `field "relevance"`, `"yes"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t)
			writeFile(t, filepath.Join(dir, "query_text.txt.gz"), "kindle mystery\n\nchildren animals book\n")
			writeFile(t, filepath.Join(dir, "x.qrels.gz"), tc.qrels)
			_, _, err := Load(dir, Options{})
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, want := range tc.wantInError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			_, report, err := Load(dir, Options{OnBadRow: datasets.Skip})
			if err != nil {
				t.Fatalf("skip: %v", err)
			}
			if got := report.SkippedTotal(); got != 1 {
				t.Errorf("skipped = %d, want 1", got)
			}
		})
	}
}

func TestFilesErrors(t *testing.T) {
	cases := []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"no reviews", func(dir string) { os.Remove(filepath.Join(dir, reviewsFile)) }, "reviews file: no file in"},
		{"two metadata files", func(dir string) { writeFile(t, filepath.Join(dir, "meta_Books.json"), "") }, "found [\"meta_Books.json\" \"meta_Kindle_Store.json\"]: keep one of them"},
		{"qrels without text", func(dir string) { writeFile(t, filepath.Join(dir, "a.qrels.gz"), "") }, "query_text.txt.gz (or query_text.txt), which is missing: add it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t)
			tc.setup(dir)
			_, err := Files(dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v does not contain %q", err, tc.want)
			}
		})
	}
}
