package table

import (
	"fmt"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
)

// Table2 builds one ablation table per study that reports.Ablations finds (one per model and
// dataset): variants as rows in the paper's order, and NDCG@5 and NDCG@10 for recommendation,
// search and overall as columns. It fails when there is no study.
func Table2(groups []*reports.Group, opts Options) ([]*Table, error) {
	opts = opts.withDefaults()
	sets, err := reports.Ablations(groups)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("table: Table 2: no finished runs with a variant; run the ablation experiment first")
	}
	var tables []*Table
	for i, s := range sets {
		t := ablationTable(s, opts)
		if len(sets) > 1 {
			t.ID = fmt.Sprintf("table2-%d", i+1)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

var table2Scopes = [...]struct{ scope, title string }{
	{protocol.ScopeRec, "Recommendation"},
	{protocol.ScopeSearch, "Search"},
	{protocol.ScopeOverall, "Overall"},
}

func ablationTable(s *reports.AblationSet, opts Options) *Table {
	metrics := []protocol.Metric{{Name: protocol.NDCG, K: 5}, {Name: protocol.NDCG, K: 10}}
	name := s.Dataset
	if s.Family != "" {
		name = fmt.Sprintf("%s (%s)", s.Family, s.Dataset)
	}
	t := &Table{
		ID:     "table2",
		Title:  fmt.Sprintf("Ablations of %s on %s: test NDCG per task and over the pooled cases of both tasks.", s.Model, name),
		Digits: opts.Digits,
		Alpha:  opts.Alpha,
	}
	var cols []column
	for _, sc := range table2Scopes {
		t.ColumnGroups = append(t.ColumnGroups, ColumnGroup{Title: sc.title, Columns: metricNames(metrics)})
		for _, m := range metrics {
			cols = append(cols, column{sc.scope, m})
		}
	}
	var rg RowGroup
	for _, g := range s.Rows {
		row := Row{Label: g.Label}
		for _, col := range cols {
			row.Cells = append(row.Cells, cells(g, col.scope, []protocol.Metric{col.metric})...)
		}
		rg.Rows = append(rg.Rows, row)
	}
	t.Notes = markRowGroup(&rg, cols, opts)
	t.RowGroups = []RowGroup{rg}
	t.finish()
	return t
}
