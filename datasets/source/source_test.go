package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets/prep"
)

func TestValidateErrors(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		want string
	}{
		{"unknown source", Spec{Source: "movielens"}, `unknown dataset source "movielens"`},
		{"bad policy", Spec{Source: Synthetic, OnBadRow: "ignore"}, `"ignore"`},
		{"real source without path", Spec{Source: KuaiSARR}, "needs the directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.spec.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// copyFixture copies the KuaiSAR-R loader's fixture files into a new folder.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "kuaisarr", "testdata")
	for _, name := range []string{"df.csv", "video_features.csv", "user_features.csv"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFingerprintFollowsContent(t *testing.T) {
	a, b := copyFixture(t), copyFixture(t)
	fa, err := Spec{Source: KuaiSARR, Path: a}.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	fb, err := Spec{Source: KuaiSARR, Path: b}.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	if string(fa) != string(fb) {
		t.Error("the same files in two folders give different fingerprints")
	}
	f, err := os.OpenFile(filepath.Join(b, "df.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("1,3,1685336600000.0,0\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fc, err := Spec{Source: KuaiSARR, Path: b}.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	if string(fa) == string(fc) {
		t.Error("an appended row left the fingerprint unchanged")
	}
}

func TestPrepareUsesCache(t *testing.T) {
	spec := Spec{Source: Synthetic, Shape: "kuaisar", Size: "tiny"}
	dir := t.TempDir()
	first, err := Prepare(spec, prep.DefaultOptions(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if first.FromCache {
		t.Error("first Prepare reports a cache hit in an empty folder")
	}
	second, err := Prepare(spec, prep.DefaultOptions(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !second.FromCache {
		t.Error("second Prepare did not read the cache")
	}
	if len(second.Tasks[0].Test) != len(first.Tasks[0].Test) {
		t.Errorf("cached test split has %d samples, built one %d", len(second.Tasks[0].Test), len(first.Tasks[0].Test))
	}
}
