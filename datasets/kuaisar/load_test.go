package kuaisar

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

// fixtureDataset is the dataset that testdata/ must load into, worked out by hand from the four
// fixture files.
func fixtureDataset() *datasets.Dataset {
	rec := func(t int64, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Rec, Item: item, Query: -1}
	}
	search := func(t int64, q int32, clicks ...int32) datasets.Behavior {
		first := int32(-1)
		if len(clicks) > 0 {
			first = clicks[0]
		}
		return datasets.Behavior{Time: t, Kind: datasets.Search, Item: first, Query: q, Clicks: clicks}
	}
	return &datasets.Dataset{
		Name: "kuaisar",
		Users: []datasets.User{
			{Key: "101", Features: []int32{0, 3, 1, 2}, Stream: []datasets.Behavior{
				rec(1684742000000, 0), rec(1684742060000, 1), search(1684742060000, 0, 2),
				search(1684742150000, 1), rec(1684742180000, 1),
			}},
			{Key: "102", Features: []int32{2, 1, 3, 1}, Stream: []datasets.Behavior{
				search(1684742200000, 0, 3, 2), rec(1684742240000, 2), rec(1684742300000, 3),
			}},
			{Key: "103", Stream: []datasets.Behavior{rec(1684742400000, 4), rec(1684742460000, 0)}},
			{Key: "104", Features: []int32{7, 2, 6, 3}, Stream: []datasets.Behavior{search(1684742350000, 2, 4)}},
		},
		Items: []datasets.Item{
			{Key: "11", Categories: []int32{0, 1}, Tokens: []int32{5, 6, 2}},
			{Key: "12", Categories: []int32{0, 2, 3}, Tokens: []int32{6, 7}},
			{Key: "13", Categories: []int32{4}},
			{Key: "14", Categories: []int32{4, 5}},
			{Key: "15", Categories: []int32{0, 1}, Tokens: []int32{2}},
		},
		Queries:            []datasets.Query{{Words: []int32{0, 1, 2}}, {Words: []int32{0, 3}}, {Words: []int32{4}}},
		Words:              []string{"20", "34", "3", "7", "8", "1", "2", "4"},
		Categories:         []string{"Funny", "Funny joke", "Pranks", "Street", "Food", "Baking"},
		FeatureCardinality: []int{8, 4, 7, 4},
	}
}

// fixtureReport is the report that loading testdata/ must produce.
func fixtureReport(policy datasets.BadRowPolicy) *datasets.LoadReport {
	r := datasets.NewLoadReport("kuaisar", policy)
	r.RowsRead = map[string]int{RecFile: 11, SearchFile: 9, ItemFile: 6, UserFile: 4}
	r.Ignored = map[string]int{
		RecFile + ": click = 0 (an impression, not a behaviour)": 2,
		ItemFile + ": item that no behaviour references":         1,
	}
	r.Duplicates = map[string]int{RecFile + ": exact duplicate row": 1, SearchFile + ": exact duplicate row": 1}
	r.UnknownIDs = map[string]int{
		RecFile + ": item not in " + ItemFile:                                1,
		SearchFile + ": clicked item not in " + ItemFile + " (session kept)": 1,
	}
	r.UsersDropped = map[string]int{
		"no rows that are behaviours":                             1,
		UserFile + ": user without rows in the interaction files": 1,
	}
	r.UsersWithoutFeatures = 1
	r.RecOnlyUsers, r.SearchOnlyUsers = 1, 1
	return r
}

var equateEmpty = cmpopts.EquateEmpty()

func TestLoadFixture(t *testing.T) {
	for _, policy := range []datasets.BadRowPolicy{datasets.Fail, datasets.Skip} {
		t.Run(policy.String(), func(t *testing.T) {
			d, report, err := Load("testdata", Options{OnBadRow: policy})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(fixtureDataset(), d, equateEmpty); diff != "" {
				t.Errorf("dataset mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(fixtureReport(policy), report, equateEmpty); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadDeterministic(t *testing.T) {
	first, _, err := Load("testdata", Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := Load("testdata", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two loads differ (-first +second):\n%s", diff)
	}
}

// copyFixture copies testdata/ into a fresh directory and returns it.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{RecFile, SearchFile, ItemFile, UserFile} {
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

// editFile applies edit to the lines of dir/name.
func editFile(t *testing.T, dir, name string, edit func(lines []string) []string) {
	t.Helper()
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"))
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceLine returns an edit that sets the 1-based line n to text.
func replaceLine(n int, text string) func([]string) []string {
	return func(lines []string) []string {
		lines[n-1] = text
		return lines
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
		{"timestamp", RecFile, 3, "101,12,1.0,1.0,t,abc,1,0,0,0,0,0",
			[]string{"rec_inter.csv:3:", `field "timestamp"`, `"abc"`, "milliseconds", "--on-bad-row=skip"},
			`rec_inter.csv: field "timestamp": invalid value`},
		{"negative timestamp", RecFile, 2, "101,11,1.0,1.0,t,-5,1,0,0,0,0,0",
			[]string{"rec_inter.csv:2:", `field "timestamp"`, `"-5"`},
			`rec_inter.csv: field "timestamp": invalid value`},
		{"click", RecFile, 4, "101,13,1.0,1.0,t,1684742120000,2,0,0,0,0,0",
			[]string{"rec_inter.csv:4:", `field "click"`, `"2"`, "want 0 or 1"},
			`rec_inter.csv: field "click": invalid value`},
		{"empty user", RecFile, 7, ",14,1.0,1.0,t,1684742300000,1,0,0,0,0,0",
			[]string{"rec_inter.csv:7:", `field "user_id"`, `""`},
			`rec_inter.csv: field "user_id": invalid value`},
		{"field count", RecFile, 5, "101,12,1.0",
			[]string{"rec_inter.csv:5:", "wrong number of fields", "row has 3 fields, want 12"},
			"rec_inter.csv: wrong number of fields"},
		{"bare quote", SearchFile, 3, `101,1,t,1684742060000,"[20, 34, 3]",US"ER,14,0,VIDEO`,
			[]string{"src_inter.csv:3:", "malformed CSV", "bare"},
			"src_inter.csv: malformed CSV"},
		{"keyword", SearchFile, 5, `101,2,t,1684742150000,"[20; 7]",USER_INPUT,12,0,VIDEO`,
			[]string{"src_inter.csv:5:", `field "keyword"`, `"[20; 7]"`, "token list"},
			`src_inter.csv: field "keyword": invalid value`},
		{"click count", SearchFile, 10, `104,4,t,1684742350000,[8],USER_INPUT,15,-1,VIDEO`,
			[]string{"src_inter.csv:10:", `field "click_cnt"`, `"-1"`},
			`src_inter.csv: field "click_cnt": invalid value`},
		{"session time conflict", SearchFile, 3, `101,1,t,1684742069999,"[20, 34, 3]",USER_INPUT,14,0,VIDEO`,
			[]string{"src_inter.csv:3:", `field "search_session_timestamp"`, `"1684742069999"`, `want "1684742060000" as on line 2`},
			`src_inter.csv: field "search_session_timestamp": conflicts with the session's first row`},
		{"session keyword conflict", SearchFile, 6, `101,2,t,1684742150000,"[20, 8]",USER_INPUT,15,0,VIDEO`,
			[]string{"src_inter.csv:6:", `field "keyword"`, `"[20, 8]"`, `want "[20, 7]" as on line 5`},
			`src_inter.csv: field "keyword": conflicts with the session's first row`},
		{"session user conflict", SearchFile, 3, `109,1,t,1684742060000,"[20, 34, 3]",USER_INPUT,14,0,VIDEO`,
			[]string{"src_inter.csv:3:", `field "user_id"`, `"109"`, `want "101" as on line 2`},
			`src_inter.csv: field "user_id": conflicts with the session's first row`},
		{"negative user", RecFile, 2, "-3,11,1.0,1.0,t,1684742000000,1,0,0,0,0,0",
			[]string{"rec_inter.csv:2:", `field "user_id"`, `"-3"`, "not a negative integer"},
			`rec_inter.csv: field "user_id": invalid value`},
		{"negative search user", SearchFile, 3, `-1,1,t,1684742060000,"[20, 34, 3]",USER_INPUT,14,0,VIDEO`,
			[]string{"src_inter.csv:3:", `field "user_id"`, `"-1"`},
			`src_inter.csv: field "user_id": invalid value`},
		{"negative feature user", UserFile, 2, "-101,1,2,1,3",
			[]string{"user_features.csv:2:", `field "user_id"`, `"-101"`},
			`user_features.csv: field "user_id": invalid value`},
		{"category id", ItemFile, 6, `15,[3],0,NORMAL,1970-01-01,LongImport,9,搞笑,Funny,x136,搞笑段子,Funny joke,0,空,empty,0,空,empty`,
			[]string{"item_features.csv:6:", `field "second_level_category_id"`, `"x136"`},
			`item_features.csv: field "second_level_category_id": invalid value`},
		{"caption", ItemFile, 2, `11,"[1, two]",10,NORMAL,2023-04-22,LongImport,9,搞笑,Funny,136,搞笑段子,Funny joke,0,空,empty,0,空,empty`,
			[]string{"item_features.csv:2:", `field "caption"`, `"[1, two]"`},
			`item_features.csv: field "caption": invalid value`},
		{"user code", UserFile, 3, "102,3,x,2,1",
			[]string{"user_features.csv:3:", `field "rec_active_level"`, `"x"`, "non-negative integer code"},
			`user_features.csv: field "rec_active_level": invalid value`},
		{"negative user code", UserFile, 2, "101,1,2,-1,3",
			[]string{"user_features.csv:2:", `field "onehot_feat1"`, `"-1"`},
			`user_features.csv: field "onehot_feat1": invalid value`},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/fail", func(t *testing.T) {
			dir := copyFixture(t)
			editFile(t, dir, tc.file, replaceLine(tc.line, tc.text))
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
			editFile(t, dir, tc.file, replaceLine(tc.line, tc.text))
			_, report, err := Load(dir, Options{OnBadRow: datasets.Skip})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := report.Skipped[tc.wantReason]; got != 1 {
				t.Errorf("Skipped[%q] = %d, want 1; report:\n%s", tc.wantReason, got, report)
			}
			if got := report.SkippedTotal(); got != 1 {
				t.Errorf("SkippedTotal = %d, want 1", got)
			}
		})
	}
}

func TestLoadDuplicateItemConflict(t *testing.T) {
	dir := copyFixture(t)
	conflicting := `12,"[9]",10,NORMAL,2023-04-23,LongImport,9,搞笑,Funny,137,恶搞,Pranks,1001,街头,Street,0,空,empty`
	editFile(t, dir, ItemFile, func(lines []string) []string { return append(lines, conflicting) })
	_, _, err := Load(dir, Options{})
	for _, want := range []string{"item_features.csv:8:", `field "item_id"`, `"12"`, "duplicate id", "line 3"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
	d, report, err := Load(dir, Options{OnBadRow: datasets.Skip})
	if err != nil {
		t.Fatal(err)
	}
	if got := report.Skipped[`item_features.csv: field "item_id": duplicate id`]; got != 1 {
		t.Errorf("skipped duplicate item rows = %d, want 1", got)
	}
	if diff := cmp.Diff(fixtureDataset().Items, d.Items, equateEmpty); diff != "" {
		t.Errorf("first row should win (-want +got):\n%s", diff)
	}
}

func TestLoadEquivalentLayouts(t *testing.T) {
	reorder := func(lines []string) []string {
		// Swap the first two columns and move click to the end of every row.
		for i, l := range lines {
			f := strings.Split(l, ",")
			f[0], f[1] = f[1], f[0]
			click := f[6]
			f = append(append(f[:6:6], f[7:]...), click)
			lines[i] = strings.Join(f, ",")
		}
		return lines
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"reordered columns", func(t *testing.T, dir string) { editFile(t, dir, RecFile, reorder) }},
		{"reco_active_level", func(t *testing.T, dir string) {
			editFile(t, dir, UserFile, replaceLine(1, "user_id,search_active_level,reco_active_level,onehot_feat1,onehot_feat2"))
		}},
		{"gzip", func(t *testing.T, dir string) {
			for _, name := range []string{RecFile, SearchFile, ItemFile, UserFile} {
				gzipFile(t, filepath.Join(dir, name))
			}
		}},
		{"crlf and spaces", func(t *testing.T, dir string) {
			editFile(t, dir, UserFile, func(lines []string) []string {
				for i := range lines {
					lines[i] = strings.ReplaceAll(lines[i], ",", ", ") + "\r"
				}
				return lines
			})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t)
			tc.setup(t, dir)
			d, _, err := Load(dir, Options{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(fixtureDataset(), d, equateEmpty); diff != "" {
				t.Errorf("dataset mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// gzipFile replaces path by path.gz holding the same bytes, gzip-compressed.
func gzipFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func TestLoadFileErrors(t *testing.T) {
	cases := []struct {
		name        string
		setup       func(t *testing.T, dir string)
		wantInError []string
	}{
		{"empty file", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, SearchFile), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"src_inter.csv", "file is empty"}},
		{"missing column", func(t *testing.T, dir string) {
			editFile(t, dir, RecFile, replaceLine(1, "user_id,item_id,playing_time,duration_ms,time,timestamp,clk,forward,like,follow,search,search_item_related"))
		}, []string{"rec_inter.csv:1:", `missing required column "click"`, "clk"}},
		{"missing level column", func(t *testing.T, dir string) {
			editFile(t, dir, UserFile, replaceLine(1, "user_id,search_active_level,active_level,onehot_feat1,onehot_feat2"))
		}, []string{"user_features.csv:1:", "rec_active_level", "reco_active_level"}},
		{"missing file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, ItemFile)); err != nil {
				t.Fatal(err)
			}
		}, []string{"item_features.csv", "no such file"}},
		{"no behaviours", func(t *testing.T, dir string) {
			editFile(t, dir, RecFile, func(l []string) []string { return l[:1] })
			editFile(t, dir, SearchFile, func(l []string) []string { return l[:1] })
		}, []string{"no user has a behaviour"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t)
			tc.setup(t, dir)
			for _, policy := range []datasets.BadRowPolicy{datasets.Fail, datasets.Skip} {
				_, _, err := Load(dir, Options{OnBadRow: policy})
				if err == nil {
					t.Fatalf("policy %s: Load succeeded, want an error", policy)
				}
				for _, want := range tc.wantInError {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("policy %s: error %q does not contain %q", policy, err, want)
					}
				}
			}
		})
	}
}

func TestFiles(t *testing.T) {
	dir := copyFixture(t)
	gzipFile(t, filepath.Join(dir, SearchFile))
	got := Files(dir)
	want := []string{
		filepath.Join(dir, RecFile), filepath.Join(dir, SearchFile+".gz"),
		filepath.Join(dir, ItemFile), filepath.Join(dir, UserFile),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Files mismatch (-want +got):\n%s", diff)
	}
}
