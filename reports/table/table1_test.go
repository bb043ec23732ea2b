package table

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/srbench/srbench/reports/internal/fixture"
)

// rowLabels returns the row labels of a row group.
func rowLabels(rg RowGroup) []string {
	var out []string
	for _, r := range rg.Rows {
		out = append(out, r.Label)
	}
	return out
}

func findRow(t *testing.T, tbl *Table, group, label string) Row {
	t.Helper()
	for _, rg := range tbl.RowGroups {
		if rg.Title != group {
			continue
		}
		for _, r := range rg.Rows {
			if r.Label == label {
				return r
			}
		}
	}
	t.Fatalf("no row %q in group %q", label, group)
	return Row{}
}

func TestTable1Layout(t *testing.T) {
	tbl := buildTable1(t)
	if len(tbl.ColumnGroups) != 2 || tbl.ColumnGroups[0].Title != "KuaiSAR" || tbl.ColumnGroups[1].Title != "Amazon" {
		t.Fatalf("column groups %+v, want KuaiSAR then Amazon", tbl.ColumnGroups)
	}
	if got := strings.Join(tbl.ColumnGroups[0].Columns, ","); got != "HR@1,HR@5,HR@10,NDCG@5,NDCG@10" {
		t.Errorf("columns %s", got)
	}
	want := map[string]string{
		"Recommendation": "DIN,UniSAR,DHIM",
		"Search":         "AEM,UniSAR,DHIM",
	}
	if len(tbl.RowGroups) != 2 {
		t.Fatalf("got %d row groups, want 2", len(tbl.RowGroups))
	}
	for _, rg := range tbl.RowGroups {
		if got := strings.Join(rowLabels(rg), ","); got != want[rg.Title] {
			t.Errorf("%s rows %s, want %s", rg.Title, got, want[rg.Title])
		}
	}
	if !findRow(t, tbl, "Search", "DHIM").Joint || findRow(t, tbl, "Search", "AEM").Joint {
		t.Error("joint flags do not follow the records")
	}
	if tbl.MinSeeds != 3 || tbl.MaxSeeds != 3 {
		t.Errorf("seeds %d to %d, want 3", tbl.MinSeeds, tbl.MaxSeeds)
	}
}

func TestTable1Marks(t *testing.T) {
	tbl := buildTable1(t)
	tests := []struct {
		group, label string
		column       int
		mark         Mark
		significant  bool
	}{
		{"Recommendation", "DHIM", 0, Best, true},
		{"Recommendation", "DIN", 0, Second, false},
		{"Recommendation", "UniSAR", 4, Second, false},
		{"Recommendation", "DHIM", 5, Best, false},
		{"Recommendation", "UniSAR", 5, Second, false},
		{"Recommendation", "DIN", 5, Plain, false},
		{"Search", "DHIM", 0, Best, false},
		{"Search", "UniSAR", 0, Best, false},
		{"Search", "AEM", 0, Second, false},
	}
	for _, tc := range tests {
		c := findRow(t, tbl, tc.group, tc.label).Cells[tc.column]
		if c.Mark != tc.mark {
			t.Errorf("%s %s column %d: mark %d, want %d", tc.group, tc.label, tc.column, c.Mark, tc.mark)
		}
		if c.Significant != tc.significant {
			t.Errorf("%s %s column %d: significant %v (p %v), want %v", tc.group, tc.label, tc.column, c.Significant, c.PValue, tc.significant)
		}
	}
}

func TestTable1MeanStd(t *testing.T) {
	tbl := buildTable1(t)
	// DHIM has 99, 100 and 101 hits of 200 over the three seeds.
	c := findRow(t, tbl, "Recommendation", "DHIM").Cells[0]
	if c.N != 3 || c.Mean != 0.5 || abs(c.Std-0.005) > 1e-12 {
		t.Errorf("cell %+v, want N 3, mean 0.5, std 0.005", c.Stat)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, tbl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), `| DHIM† | **0.5000 ± 0.0050**\* |`) {
		t.Errorf("Markdown lacks the starred bold DHIM cell:\n%s", md.String())
	}
	if !strings.Contains(md.String(), "Mean ± sample standard deviation over 3 seeds.") {
		t.Error("Markdown caption does not state the seeds")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestTable1SingleSeed(t *testing.T) {
	var records = table1Records()
	var oneSeed = records[:0]
	for _, r := range records {
		if r.Seed == 2 {
			oneSeed = append(oneSeed, r)
		}
	}
	tbl, err := Table1(groupRecords(t, oneSeed), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, tbl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "±") {
		t.Error("a single seed shows a deviation")
	}
	if !strings.Contains(md.String(), "| DHIM† | **0.5000**\\* |") {
		t.Errorf("Markdown lacks the one-seed DHIM cell:\n%s", md.String())
	}
}

func TestTable1Reproducible(t *testing.T) {
	render := func(shuffleSeed uint64) string {
		records := table1Records()
		rng := rand.New(rand.NewPCG(shuffleSeed, 0))
		rng.Shuffle(len(records), func(i, j int) { records[i], records[j] = records[j], records[i] })
		tbl, err := Table1(groupRecords(t, records), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteLaTeX(&b, tbl, LaTeXOptions{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if render(1) != render(2) {
		t.Error("the record order changes the LaTeX output")
	}
}

func TestTable1Errors(t *testing.T) {
	if _, err := Table1(nil, Options{}); err == nil || !strings.Contains(err.Error(), "table1 experiment") {
		t.Errorf("error %v, want one pointing to the table1 experiment", err)
	}
	records := table1Records()
	clash := *records[0]
	clash.Model, clash.RunID = "other", "clash"
	if _, err := Table1(groupRecords(t, append(records, &clash)), Options{}); err == nil || !strings.Contains(err.Error(), "same label") {
		t.Errorf("error %v, want one about a shared label", err)
	}
}

func TestTable1MissingCells(t *testing.T) {
	var records = table1Records()
	var kuaisarDIN = records[:0]
	for _, r := range records {
		if r.Family == "Amazon" && r.Label == "DIN" {
			continue
		}
		kuaisarDIN = append(kuaisarDIN, r)
	}
	tbl, err := Table1(groupRecords(t, kuaisarDIN), Options{})
	if err != nil {
		t.Fatal(err)
	}
	din := findRow(t, tbl, "Recommendation", "DIN")
	if !din.Cells[0].Present || din.Cells[5].Present {
		t.Error("DIN should have KuaiSAR cells and no Amazon cells")
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, tbl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| – | – |") {
		t.Error("missing cells are not drawn as dashes")
	}
}

func TestTable1PopLast(t *testing.T) {
	records := table1Records()
	for _, family := range []string{"KuaiSAR", "Amazon"} {
		// An old record marks pop as joint; the table must not.
		records = append(records, fixture.Record(fixture.Run{Experiment: "table1", Model: "pop", Label: "Pop", Joint: true,
			Dataset: "synthetic-" + family, Family: family, Seed: 1, Rec: fixture.Hits(cases, 5), Search: fixture.Hits(cases, 5)}))
	}
	tbl, err := Table1(groupRecords(t, records), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rg := range tbl.RowGroups {
		labels := rowLabels(rg)
		if labels[len(labels)-1] != "Pop" {
			t.Errorf("%s rows %v, want Pop last", rg.Title, labels)
		}
		if findRow(t, tbl, rg.Title, "Pop").Joint {
			t.Errorf("%s: Pop row is marked joint", rg.Title)
		}
	}
}
