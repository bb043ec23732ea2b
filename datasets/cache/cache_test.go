package cache

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
)

// handPrepared returns a small prepared dataset with one kept user, one dropped user, user
// features, item tokens and an empty search session, so every field of the format is used.
func handPrepared(t testing.TB) *prep.Prepared {
	t.Helper()
	ds := &datasets.Dataset{
		Name:               "hand",
		Queries:            []datasets.Query{{Words: []int32{0}}, {Words: []int32{1, 2}}},
		Words:              []string{"a", "b", "c"},
		Categories:         []string{"top", "leaf"},
		FeatureCardinality: []int{3},
	}
	for i := range 120 {
		ds.Items = append(ds.Items, datasets.Item{Key: fmt.Sprint("i", i), Categories: []int32{0, 1}})
	}
	ds.Items[5].Tokens = []int32{2, 1}
	r := func(t int64, item int32) datasets.Behavior {
		return datasets.Behavior{Time: t, Kind: datasets.Rec, Item: item, Query: -1}
	}
	s := func(t int64, q int32, clicks ...int32) datasets.Behavior {
		b := datasets.Behavior{Time: t, Kind: datasets.Search, Item: -1, Query: q, Clicks: clicks}
		if len(clicks) > 0 {
			b.Item = clicks[0]
		}
		return b
	}
	ds.Users = []datasets.User{
		{Key: "kept", Features: []int32{2}, Stream: []datasets.Behavior{
			r(1, 1), s(2, 0, 2, 3), r(3, 4), s(3, 1), s(4, 1, 5), r(5, 6), s(6, 0, 7, 8), r(7, 9), r(8, 10),
		}},
		{Key: "dropped", Stream: []datasets.Behavior{r(1, 1), s(2, 0, 1)}},
	}
	p, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.KeptUsers != 1 {
		t.Fatalf("hand dataset keeps %d users, want 1", p.Report.KeptUsers)
	}
	return p
}

var testKey = NewKey([]byte("test source"), prep.DefaultOptions())

func encode(t testing.TB, key Key, p *prep.Prepared) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, key, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(data []byte, key Key) (*prep.Prepared, error) {
	return Read(bytes.NewReader(data), int64(len(data)), key)
}

// checkSamePrepared compares the stored parts and, through the public accessors, the rebuilt
// indexes.
func checkSamePrepared(t *testing.T, want, got *prep.Prepared) {
	t.Helper()
	opt := cmpopts.EquateEmpty()
	if !reflect.DeepEqual(want.Dataset, got.Dataset) && !cmp.Equal(want.Dataset, got.Dataset, opt) {
		t.Errorf("dataset differs:\n%s", cmp.Diff(want.Dataset, got.Dataset, opt))
	}
	if diff := cmp.Diff(want.Options, got.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Report, got.Report); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Tasks, got.Tasks, opt); diff != "" {
		t.Errorf("tasks (-want +got):\n%s", diff)
	}
	if !reflect.DeepEqual(want.QueryWords, got.QueryWords) || !reflect.DeepEqual(want.QueryLen, got.QueryLen) {
		t.Error("query table differs")
	}
	for u := range want.Dataset.Users {
		if diff := cmp.Diff(want.Interacted(u), got.Interacted(u), opt); diff != "" {
			t.Errorf("user %d interacted (-want +got):\n%s", u, diff)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	p := handPrepared(t)
	got, err := decode(encode(t, testKey, p), testKey)
	if err != nil {
		t.Fatal(err)
	}
	checkSamePrepared(t, p, got)
}

func TestRoundTripSynthetic(t *testing.T) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
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
	path := filepath.Join(t.TempDir(), "tiny.cache")
	if err := Store(path, testKey, p); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	checkSamePrepared(t, p, got)
}

func TestDetectsDamage(t *testing.T) {
	good := encode(t, testKey, handPrepared(t))
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	cases := []struct {
		name string
		data []byte
		key  Key
		want error
	}{
		{"other key", good, NewKey([]byte("other"), prep.DefaultOptions()), ErrStale},
		{"other seed", good, NewKey([]byte("test source"), func() prep.Options { o := prep.DefaultOptions(); o.Seed = 9; return o }()), ErrStale},
		{"other version", edit(func(b []byte) []byte { b[len(magic)]++; return b }), testKey, ErrStale},
		{"bad magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), testKey, ErrCorrupt},
		{"truncated trailer", good[:len(good)-5], testKey, ErrCorrupt},
		{"truncated payload", good[:len(good)/2], testKey, ErrCorrupt},
		{"header only", good[:headerSize], testKey, ErrCorrupt},
		{"empty", nil, testKey, ErrCorrupt},
		{"flipped payload byte", edit(func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }), testKey, ErrCorrupt},
		{"flipped checksum", edit(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), testKey, ErrCorrupt},
		{"extra byte", append(bytes.Clone(good), 0), testKey, ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decode(c.data, c.key)
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
}

// captureLogs routes the default slog logger into a buffer for the test's duration.
func captureLogs(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func TestLoadOrBuild(t *testing.T) {
	logs := captureLogs(t)
	dir := t.TempDir()
	p := handPrepared(t)
	builds := 0
	build := func() (*prep.Prepared, error) { builds++; return p, nil }
	run := func(key Key) {
		t.Helper()
		got, err := LoadOrBuild(dir, "hand", key, build)
		if err != nil {
			t.Fatal(err)
		}
		checkSamePrepared(t, p, got)
	}

	run(testKey) // missing: build
	run(testKey) // cached
	if builds != 1 {
		t.Fatalf("%d builds after two calls with one key, want 1", builds)
	}

	path := filepath.Join(dir, "hand.cache")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-20], 0o644); err != nil {
		t.Fatal(err)
	}
	run(testKey)
	if builds != 2 || !strings.Contains(logs.String(), "cache is corrupt, rebuilding") {
		t.Errorf("truncated cache: %d builds, logs:\n%s", builds, logs)
	}

	run(NewKey([]byte("changed source"), prep.DefaultOptions()))
	if builds != 3 || !strings.Contains(logs.String(), "cache is stale, rebuilding") {
		t.Errorf("changed key: %d builds, logs:\n%s", builds, logs)
	}
	if !strings.Contains(logs.String(), "path="+path) {
		t.Errorf("logs do not name the path %s:\n%s", path, logs)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("cache dir holds %d entries, want only hand.cache (temporary files left?)", len(entries))
	}
}

func TestLoadOrBuildError(t *testing.T) {
	captureLogs(t)
	want := errors.New("source missing")
	_, err := LoadOrBuild(t.TempDir(), "x", testKey, func() (*prep.Prepared, error) { return nil, want })
	if !errors.Is(err, want) {
		t.Errorf("error %v, want %v", err, want)
	}
}

func TestFileFingerprint(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(a, []byte("1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f1, err := FileFingerprint(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a, []byte("1,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f2, err := FileFingerprint(a)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(f1, f2) {
		t.Error("fingerprint unchanged after the content changed")
	}
	if _, err := FileFingerprint(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: error %v, want one naming missing.csv", err)
	}
}
