package kuaisarr

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/srbench/srbench/datasets"
)

// realDir returns the KuaiSAR-R copy that sits beside the repository as
// ../shared/data/kuaisar-r relative to the module root, or skips the test when it is absent.
func realDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root (go.mod) not found above the working directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data", "kuaisar-r")
	if _, err := os.Stat(filepath.Join(data, InteractionFile)); err != nil {
		t.Skipf("KuaiSAR-R not found at %s (it sits beside the repository as ../shared/data/kuaisar-r): %v", data, err)
	}
	return data
}

// TestLoadReal checks the load of the real slice against counts taken from its files: 117,590
// rows of which 60,451 have is_click = 1, and 1,791 users of which 12 have no click.
func TestLoadReal(t *testing.T) {
	dir := realDir(t)
	d, report, err := Load(dir, Options{Seed: 1})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var rec, search int
	for _, u := range d.Users {
		if len(u.Features) != 4 {
			t.Fatalf("user %s has %d features, want 4", u.Key, len(u.Features))
		}
		for _, e := range u.Stream {
			if e.Kind == datasets.Rec {
				rec++
			} else {
				search++
			}
		}
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"rows read", report.RowsRead[InteractionFile], 117590},
		{"impressions", report.Ignored[InteractionFile+": is_click = 0 (an impression, not a behaviour)"], 57139},
		{"clicks (recommendations plus converted searches)", rec + search, 60451},
		{"users", len(d.Users), 1779},
		{"users without clicks", report.UsersDropped["no rows that are behaviours"], 12},
		{"skipped", report.SkippedTotal(), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if share := float64(search) / float64(rec+search); math.Abs(share-DefaultSearchProb) > 0.01 {
		t.Errorf("share of clicks converted to searches = %.4f, want %.2f ± 0.01", share, DefaultSearchProb)
	}
	again, _, err := Load(dir, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(d, again) {
		t.Error("two loads with seed 1 differ")
	}
}

// BenchmarkLoadReal measures a whole load of the real slice.
func BenchmarkLoadReal(b *testing.B) {
	dir := realDir(b)
	for b.Loop() {
		if _, _, err := Load(dir, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
