package reports_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
)

var ndcg5 = protocol.Metric{Name: protocol.NDCG, K: 5}
var hr1 = protocol.Metric{Name: protocol.HR, K: 1}

func group(t *testing.T, records ...*results.Record) *reports.Group {
	t.Helper()
	groups, skipped, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || len(skipped) != 0 {
		t.Fatalf("got %d groups and %d skipped, want 1 and 0", len(groups), len(skipped))
	}
	return groups[0]
}

func TestGroupRunsSkipsAndSorts(t *testing.T) {
	failed := fixture.Record(fixture.Run{Model: "din", Label: "DIN", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)})
	failed.Status, failed.Error, failed.Train = results.StatusFailed, "out of memory", nil
	records := []*results.Record{
		fixture.Record(fixture.Run{Model: "din", Label: "DIN", Dataset: "d", Seed: 3, Rec: fixture.Hits(10, 2)}),
		fixture.Record(fixture.Run{Model: "dhim", Label: "DHIM", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)}),
		fixture.Record(fixture.Run{Model: "din", Label: "DIN", Dataset: "d", Seed: 2, Rec: fixture.Hits(10, 2)}),
		failed,
	}
	groups, skipped, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[0].Label != "DHIM" || groups[1].Label != "DIN" {
		t.Fatalf("groups %v, want DHIM then DIN", groups)
	}
	if got := groups[1].Seeds(); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("DIN seeds %v, want [2 3]", got)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "out of memory") {
		t.Errorf("skipped %+v, want the failed run with its error", skipped)
	}
}

func TestGroupRunsDuplicateSeed(t *testing.T) {
	a := fixture.Record(fixture.Run{Model: "din", Label: "DIN", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)})
	b := fixture.Record(fixture.Run{Model: "din", Label: "DIN", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 3)})
	b.RunID = "other"
	_, _, err := reports.GroupRuns([]*results.Record{a, b})
	if err == nil || !strings.Contains(err.Error(), "other") || !strings.Contains(err.Error(), a.RunID) {
		t.Fatalf("error %v, want one naming both run ids", err)
	}
}

func TestStatThreeSeeds(t *testing.T) {
	// HR@1 is 0.2, 0.3 and 0.7: mean 0.4, sample variance ((0.2)^2+(0.1)^2+(0.3)^2)/2 = 0.07.
	g := group(t,
		fixture.Record(fixture.Run{Model: "m", Label: "M", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)}),
		fixture.Record(fixture.Run{Model: "m", Label: "M", Dataset: "d", Seed: 2, Rec: fixture.Hits(10, 3)}),
		fixture.Record(fixture.Run{Model: "m", Label: "M", Dataset: "d", Seed: 3, Rec: fixture.Hits(10, 7)}),
	)
	s, ok := g.Stat(protocol.ScopeRec, hr1)
	if !ok {
		t.Fatal("no statistic")
	}
	const tol = 1e-12
	if s.N != 3 || math.Abs(s.Mean-0.4) > tol || math.Abs(s.Std-math.Sqrt(0.07)) > tol {
		t.Errorf("stat %+v, want N 3, mean 0.4, std %v (tolerance %g)", s, math.Sqrt(0.07), tol)
	}
	if _, ok := g.Stat(protocol.ScopeSearch, hr1); ok {
		t.Error("a group without search cases has a search statistic")
	}
}

func TestCompareSignificance(t *testing.T) {
	base := fixture.Hits(200, 40)
	tests := []struct {
		name        string
		better      []int
		significant bool
	}{
		// 60 more hits and no losses: every nonzero difference is positive.
		{"clear gain", fixture.Hits(200, 100), true},
		// 3 more hits: far from p < 0.01.
		{"small gain", fixture.Hits(200, 43), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a, b []*results.Record
			for seed := uint64(1); seed <= 2; seed++ {
				a = append(a, fixture.Record(fixture.Run{Model: "a", Label: "A", Dataset: "d", Seed: seed, Rec: tc.better}))
				b = append(b, fixture.Record(fixture.Run{Model: "b", Label: "B", Dataset: "d", Seed: seed, Rec: base}))
			}
			res, err := reports.Compare(group(t, a...), group(t, b...), protocol.ScopeRec, ndcg5)
			if err != nil {
				t.Fatal(err)
			}
			if res.N+res.Zeros != 400 {
				t.Errorf("test paired %d values, want 400 (200 cases x 2 seeds)", res.N+res.Zeros)
			}
			if got := res.PValue < 0.01; got != tc.significant {
				t.Errorf("p = %v, significant = %v, want %v", res.PValue, got, tc.significant)
			}
		})
	}
}

func TestCompareNoSharedSeed(t *testing.T) {
	a := group(t, fixture.Record(fixture.Run{Model: "a", Label: "A", Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)}))
	b := group(t, fixture.Record(fixture.Run{Model: "b", Label: "B", Dataset: "d", Seed: 2, Rec: fixture.Hits(10, 2)}))
	if _, err := reports.Compare(a, b, protocol.ScopeRec, ndcg5); err == nil || !strings.Contains(err.Error(), "no shared seed") {
		t.Errorf("error %v, want no shared seed", err)
	}
}

func TestMergeSingleTaskPoolsOverall(t *testing.T) {
	rec := group(t, fixture.Record(fixture.Run{Model: "dhim", Variant: "only-rec", Label: "only Rec", Dataset: "d", Seed: 1, Rec: fixture.Hits(30, 6)}))
	search := group(t, fixture.Record(fixture.Run{Model: "dhim", Variant: "only-src", Label: "only Src", Dataset: "d", Seed: 1, Search: fixture.Hits(10, 8)}))
	merged := reports.MergeSingleTask(rec, search)
	if merged.Label != reports.MergedSingleTaskLabel || len(merged.Runs) != 1 {
		t.Fatalf("merged %v with %d runs", merged, len(merged.Runs))
	}
	cases := []struct {
		scope string
		want  float64
	}{
		{protocol.ScopeRec, 0.2},
		{protocol.ScopeSearch, 0.8},
		// (6 + 8) hits over 40 pooled cases.
		{protocol.ScopeOverall, 0.35},
	}
	for _, c := range cases {
		s, ok := merged.Stat(c.scope, hr1)
		if !ok || math.Abs(s.Mean-c.want) > 1e-12 {
			t.Errorf("%s HR@1 = %v (present %v), want %v", c.scope, s.Mean, ok, c.want)
		}
	}
}

func TestAblationsOrderAndMerge(t *testing.T) {
	run := func(variant, label string, rec, search []int) *results.Record {
		return fixture.Record(fixture.Run{Model: "dhim", Variant: variant, Label: label, Joint: true, Dataset: "d", Family: "KuaiSAR", Seed: 1, Rec: rec, Search: search})
	}
	groups, _, err := reports.GroupRuns([]*results.Record{
		run("only-src", "only Src", nil, fixture.Hits(10, 5)),
		run("no-ple", "w/o PLE", fixture.Hits(10, 3), fixture.Hits(10, 5)),
		run("zzz-extra", "extra", fixture.Hits(10, 3), fixture.Hits(10, 5)),
		run("", "DHIM", fixture.Hits(10, 4), fixture.Hits(10, 5)),
		run("only-rec", "only Rec", fixture.Hits(10, 2), nil),
		run("no-rec-long", "w/o rec-long", fixture.Hits(10, 3), fixture.Hits(10, 5)),
	})
	if err != nil {
		t.Fatal(err)
	}
	sets, err := reports.Ablations(groups)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 {
		t.Fatalf("got %d studies, want 1", len(sets))
	}
	var variants []string
	for _, g := range sets[0].Rows {
		variants = append(variants, g.Variant)
	}
	want := []string{"", "no-rec-long", "no-ple", reports.MergedSingleTaskVariant, "zzz-extra"}
	if strings.Join(variants, ",") != strings.Join(want, ",") {
		t.Errorf("rows %q, want %q", variants, want)
	}
	if full := sets[0].Full(); full == nil || full.Label != "DHIM" {
		t.Errorf("full row %v, want DHIM", full)
	}
}

func TestAblationsRepeatedVariant(t *testing.T) {
	run := func(variant, label string) *results.Record {
		return fixture.Record(fixture.Run{Model: "dhim", Variant: variant, Label: label, Dataset: "d", Seed: 1, Rec: fixture.Hits(10, 2)})
	}
	groups, _, err := reports.GroupRuns([]*results.Record{run("", "DHIM"), run("full", "Full Model"), run("no-csf", "w/o CSF")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reports.Ablations(groups); err == nil || !strings.Contains(err.Error(), `variant "full"`) {
		t.Errorf("error %v, want one naming variant full", err)
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{{"FMLP-Rec", "fmlprec"}, {"fmlp_rec", "fmlprec"}, {"UniSAR", "unisar"}, {"", ""}}
	for _, tc := range tests {
		if got := reports.NormalizeName(tc.in); got != tc.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "table.md")
	for _, content := range []string{"first", "second"} {
		if err := reports.WriteFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Errorf("file holds %q, want %q", got, content)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the file (no temporary files)", len(entries))
	}
}

func TestTable1GroupsSkipAblationStudies(t *testing.T) {
	run := func(experiment, variant string, sweep map[string]float64) *results.Record {
		return fixture.Record(fixture.Run{Experiment: experiment, Model: "dhim", Variant: variant, Label: "DHIM " + variant,
			Dataset: "d", Seed: 1, Sweep: sweep, Rec: fixture.Hits(10, 2)})
	}
	groups, _, err := reports.GroupRuns([]*results.Record{
		run("table1", "", nil),
		run("ablation", "full", nil),
		run("ablation", "no-csf", nil),
		run("sweep-k", "", map[string]float64{"k_rec": 6}),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := reports.Table1Groups(groups)
	if len(got) != 1 || got[0].Experiment != "table1" {
		t.Errorf("Table 1 groups %v, want only the table1 experiment's DHIM", got)
	}
	sets, err := reports.Ablations(groups)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || len(sets[0].Rows) != 2 || sets[0].Experiment != "ablation" {
		t.Errorf("ablation studies %+v, want one of the ablation experiment with 2 rows", sets)
	}
}
