package table

import (
	"bytes"
	"strings"
	"testing"

	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
)

func table2Records() []*results.Record {
	run := func(variant, label string, rec, search []int) *results.Record {
		return fixture.Record(fixture.Run{Experiment: "ablation", Model: "dhim", Variant: variant, Label: label, Joint: true,
			Dataset: "synthetic-kuaisar", Family: "KuaiSAR", Seed: 1, Rec: rec, Search: search})
	}
	return []*results.Record{
		run("only-src", "only Src", nil, fixture.Hits(10, 4)),
		run("no-rec-long", "w/o rec-long", fixture.Hits(30, 8), fixture.Hits(10, 6)),
		run("", "DHIM", fixture.Hits(30, 9), fixture.Hits(10, 6)),
		run("no-rec-intra", "w/o L_con^r_intra", fixture.Hits(30, 7), fixture.Hits(10, 5)),
		run("only-rec", "only Rec", fixture.Hits(30, 6), nil),
	}
}

func TestTable2Rows(t *testing.T) {
	tables, err := Table2(groupRecords(t, table2Records()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 {
		t.Fatalf("got %d tables, want 1", len(tables))
	}
	tbl := tables[0]
	if got := strings.Join(rowLabels(tbl.RowGroups[0]), ","); got != "DHIM,w/o rec-long,w/o L_con^r_intra,only Rec/Src" {
		t.Errorf("rows %s", got)
	}
	var titles []string
	for _, g := range tbl.ColumnGroups {
		titles = append(titles, g.Title+" "+strings.Join(g.Columns, " "))
	}
	if got := strings.Join(titles, ","); got != "Recommendation NDCG@5 NDCG@10,Search NDCG@5 NDCG@10,Overall NDCG@5 NDCG@10" {
		t.Errorf("columns %s", got)
	}
	merged := tbl.RowGroups[0].Rows[3]
	// Overall NDCG@5 pools 6 of 30 recommendation hits and 4 of 10 search hits.
	if c := merged.Cells[4]; !c.Present || abs(c.Mean-0.25) > 1e-12 {
		t.Errorf("merged overall NDCG@5 %+v, want 0.25", c)
	}
	full := tbl.RowGroups[0].Rows[0]
	if full.Cells[4].Mark != Best || tbl.RowGroups[0].Rows[1].Cells[4].Mark != Second {
		t.Error("overall NDCG@5 marks: want the full model best and w/o rec-long second")
	}
	if full.Cells[2].Mark != Best || tbl.RowGroups[0].Rows[1].Cells[2].Mark != Best {
		t.Error("search NDCG@5: the full model and w/o rec-long tie and should both be best")
	}
}

func TestTable2LaTeXLabels(t *testing.T) {
	tables, err := Table2(groupRecords(t, table2Records()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteLaTeX(&b, tables[0], LaTeXOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`w/o $\mathcal{L}_{\mathrm{con}}^{\mathrm{r\,intra}}$`, `only Rec/Src`, `\multicolumn{2}{c}{Overall}`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("LaTeX lacks %q", want)
		}
	}
}

func TestTable2NoStudy(t *testing.T) {
	if _, err := Table2(groupRecords(t, table1Records()), Options{}); err == nil || !strings.Contains(err.Error(), "ablation experiment") {
		t.Errorf("error %v, want one pointing to the ablation experiment", err)
	}
}
