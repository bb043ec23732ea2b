package paperdiff

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
	"github.com/srbench/srbench/results/paper"
)

func groups(t *testing.T, records ...*results.Record) []*reports.Group {
	t.Helper()
	g, _, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDiffListsEveryPaperCell(t *testing.T) {
	cells, err := Diff(nil, DefaultTolerance())
	if err != nil {
		t.Fatal(err)
	}
	listed := make(map[string]float64)
	for _, c := range cells {
		if c.Present {
			t.Errorf("cell %+v has our value without any run", c)
		}
		listed[fmt.Sprintf("%s/%s/%s/%s/%s", c.Table, c.Scope, c.Row, c.Family, c.Metric)] = c.Paper
	}
	rows, err := paper.Table1()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for key, v := range row.Values {
			id := fmt.Sprintf("Table 1/%s/%s/%s/%s", row.Task, row.Method, row.Dataset, key)
			if got, ok := listed[id]; !ok || got != v {
				t.Errorf("cell %s: listed %v (present %v), want %v", id, got, ok, v)
			}
		}
	}
	// 26 rows of 5 metrics in Table 1, 12 rows of 6 values in Table 2.
	if len(cells) != 130+72 {
		t.Errorf("got %d cells, want 202", len(cells))
	}
	var b bytes.Buffer
	if err := WriteReport(&b, cells, nil, DefaultTolerance()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Table 1: 0 cells within tolerance, 0 outside, 130 without our result.") {
		t.Errorf("report lacks the Table 1 count:\n%s", b.String())
	}
}

func TestDiffOurValues(t *testing.T) {
	// Every metric of a case list with h hits among n cases at rank 0 is h/n.
	gs := groups(t,
		fixture.Record(fixture.Run{Model: "dhim", Label: "DHIM", Joint: true, Dataset: "synthetic-kuaisar", Family: "KuaiSAR", Seed: 1,
			Rec: fixture.Hits(10000, 3677), Search: fixture.Hits(10000, 6100)}),
		fixture.Record(fixture.Run{Model: "fmlprec", Label: "FMLP", Dataset: "synthetic-amazon", Family: "Amazon", Seed: 1,
			Rec: fixture.Hits(10000, 4250)}),
	)
	cells, err := Diff(gs, DefaultTolerance())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		scope, row, family, metric string
		within                     bool
		diff                       float64
	}{
		{"rec", "DHIM", "KuaiSAR", "ndcg@5", true, 0},
		{"rec", "DHIM", "KuaiSAR", "hr@1", false, 0.3677 - 0.2030},
		{"search", "DHIM", "KuaiSAR", "ndcg@5", true, 0.61 - 0.6118},
		{"rec", "FMLP-Rec", "Amazon", "ndcg@5", true, 0.425 - 0.4308},
		{"rec", "FMLP-Rec", "Amazon", "hr@10", false, 0.425 - 0.7147},
	}
	for _, tc := range tests {
		c := findCell(t, cells, "Table 1", tc.scope, tc.row, tc.family, tc.metric)
		if !c.Present || c.Within != tc.within || abs(c.Diff-tc.diff) > 1e-9 {
			t.Errorf("%s %s %s %s: %+v, want within %v and diff %v", tc.scope, tc.row, tc.family, tc.metric, c, tc.within, tc.diff)
		}
	}
	if c := findCell(t, cells, "Table 1", "rec", "DHIM", "Amazon", "hr@1"); c.Present {
		t.Error("DHIM has an Amazon value without an Amazon run")
	}
}

func TestDiffTolerance(t *testing.T) {
	gs := groups(t, fixture.Record(fixture.Run{Model: "dhim", Label: "DHIM", Joint: true, Dataset: "k", Family: "KuaiSAR", Seed: 1,
		Rec: fixture.Hits(10000, 3477)}))
	tests := []struct {
		tol    Tolerance
		within bool
	}{
		{DefaultTolerance(), false},        // gap 0.02 > 0.01
		{Tolerance{Margin: 0.025}, true},   // gap 0.02 <= 0.025
		{Tolerance{Fraction: 0.06}, true},  // 0.02 <= 0.06 * 0.3477
		{Tolerance{Fraction: 0.05}, false}, // 0.02 > 0.05 * 0.3477
		{Tolerance{Margin: 0, Fraction: 0}, false},
	}
	for _, tc := range tests {
		cells, err := Diff(gs, tc.tol)
		if err != nil {
			t.Fatal(err)
		}
		if c := findCell(t, cells, "Table 1", "rec", "DHIM", "KuaiSAR", "ndcg@5"); c.Within != tc.within {
			t.Errorf("tolerance %+v: within %v, want %v", tc.tol, c.Within, tc.within)
		}
	}
}

func TestDiffTable2(t *testing.T) {
	run := func(variant string, rec, search []int) *results.Record {
		return fixture.Record(fixture.Run{Experiment: "ablation", Model: "dhim", Variant: variant, Label: "DHIM " + variant, Joint: true,
			Dataset: "k", Family: "KuaiSAR", Seed: 1, Rec: rec, Search: search})
	}
	gs := groups(t,
		run("", fixture.Hits(100, 40), fixture.Hits(100, 60)),
		run("no-csf", fixture.Hits(100, 35), fixture.Hits(100, 60)),
		run("only-rec", fixture.Hits(100, 30), nil),
		run("only-src", nil, fixture.Hits(100, 50)),
	)
	cells, err := Diff(gs, DefaultTolerance())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		row, scope string
		ours       float64
	}{
		{"full", "overall", 0.5},
		{"w/o CSF", "rec", 0.35},
		{"only Rec/Src", "overall", 0.4},
	}
	for _, tc := range tests {
		c := findCell(t, cells, "Table 2", tc.scope, tc.row, "KuaiSAR", "ndcg@10")
		if !c.Present || abs(c.Ours.Mean-tc.ours) > 1e-12 {
			t.Errorf("%s %s: %+v, want ours %v", tc.row, tc.scope, c, tc.ours)
		}
	}
	if c := findCell(t, cells, "Table 2", "overall", "w/o PLE", "KuaiSAR", "ndcg@5"); c.Present {
		t.Error("w/o PLE has a value without a run")
	}
}

func findCell(t *testing.T, cells []Cell, table, scope, row, family, metric string) Cell {
	t.Helper()
	for _, c := range cells {
		if c.Table == table && c.Scope == scope && c.Row == row && c.Family == family && c.Metric == metric {
			return c
		}
	}
	t.Fatalf("no cell %s %s %s %s %s", table, scope, row, family, metric)
	return Cell{}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
