package table

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
)

// dataset is one column group of Table 1.
type dataset struct{ family, name string }

// taskGroups lists Table 1's row groups: scope and heading.
var taskGroups = [...]struct{ scope, title string }{
	{protocol.ScopeRec, "Recommendation"},
	{protocol.ScopeSearch, "Search"},
}

// Table1 builds the main comparison from the groups that reports.Table1Groups selects. Each
// dataset is a column group, titled by its family ("KuaiSAR"), or "family: dataset" when one
// family has several datasets; families come in the paper's order. Each task is a row group
// holding the methods with test results for that task, in the paper's order, other methods
// after by label. It fails when no group qualifies, or when two groups of one dataset share a
// label.
func Table1(groups []*reports.Group, opts Options) (*Table, error) {
	opts = opts.withDefaults()
	groups = reports.Table1Groups(groups)
	if len(groups) == 0 {
		return nil, fmt.Errorf("table: Table 1: no finished runs of a full model without sweep values; run the table1 experiment first")
	}
	datasets, err := datasetsOf(groups)
	if err != nil {
		return nil, err
	}
	metrics := protocol.DefaultMetrics()
	t := &Table{
		ID:     "table1",
		Title:  "Test performance of DHIM and the baselines per task and dataset.",
		Digits: opts.Digits,
		Alpha:  opts.Alpha,
	}
	for _, d := range datasets {
		t.ColumnGroups = append(t.ColumnGroups, ColumnGroup{Title: d.title(datasets), Columns: metricNames(metrics)})
	}
	for _, task := range taskGroups {
		rg, notes := table1RowGroup(groups, datasets, task.scope, metrics, opts)
		if len(rg.Rows) == 0 {
			continue
		}
		rg.Title = task.title
		t.RowGroups = append(t.RowGroups, rg)
		t.Notes = append(t.Notes, notes...)
	}
	t.finish()
	return t, nil
}

// datasetsOf returns the datasets in column order and rejects a label used twice on one
// dataset.
func datasetsOf(groups []*reports.Group) ([]dataset, error) {
	seen := make(map[dataset]map[string]*reports.Group)
	var out []dataset
	for _, g := range groups {
		d := dataset{g.Family, g.Dataset}
		if seen[d] == nil {
			seen[d] = make(map[string]*reports.Group)
			out = append(out, d)
		}
		if other := seen[d][g.Label]; other != nil {
			return nil, fmt.Errorf("table: %s and %s have the same label %q; give each model its own label", other, g, g.Label)
		}
		seen[d][g.Label] = g
	}
	slices.SortFunc(out, func(a, b dataset) int {
		return cmp.Or(cmp.Compare(reports.FamilyRank(a.family), reports.FamilyRank(b.family)),
			cmp.Compare(a.family, b.family), cmp.Compare(a.name, b.name))
	})
	return out, nil
}

// title is the family, or "family: dataset" when the family has several datasets.
func (d dataset) title(all []dataset) string {
	n := 0
	for _, other := range all {
		if other.family == d.family {
			n++
		}
	}
	switch {
	case d.family == "":
		return d.name
	case n > 1:
		return d.family + ": " + d.name
	}
	return d.family
}

func metricNames(metrics []protocol.Metric) []string {
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = strings.ToUpper(m.Name) + "@" + fmt.Sprint(m.K)
	}
	return names
}

// table1RowGroup builds the rows of one task and marks its columns.
func table1RowGroup(groups []*reports.Group, datasets []dataset, scope string, metrics []protocol.Metric, opts Options) (RowGroup, []string) {
	type method struct {
		label string
		joint bool
		rank  int
	}
	var methods []method
	for _, g := range groups {
		if !g.Has(scope) || slices.ContainsFunc(methods, func(m method) bool { return m.label == g.Label }) {
			continue
		}
		methods = append(methods, method{g.Label, g.Joint, g.MethodRank()})
	}
	slices.SortFunc(methods, func(a, b method) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.label, b.label)) })

	var rg RowGroup
	for _, m := range methods {
		row := Row{Label: m.label, Joint: m.joint}
		for _, d := range datasets {
			g := find(groups, func(g *reports.Group) bool {
				return g.Label == m.label && g.Dataset == d.name && g.Family == d.family
			})
			row.Cells = append(row.Cells, cells(g, scope, metrics)...)
		}
		rg.Rows = append(rg.Rows, row)
	}
	var cols []column
	for range datasets {
		for _, m := range metrics {
			cols = append(cols, column{scope, m})
		}
	}
	return rg, markRowGroup(&rg, cols, opts)
}

func find(groups []*reports.Group, match func(*reports.Group) bool) *reports.Group {
	for _, g := range groups {
		if match(g) {
			return g
		}
	}
	return nil
}

// cells returns one cell per metric of scope for g, which may be nil.
func cells(g *reports.Group, scope string, metrics []protocol.Metric) []Cell {
	out := make([]Cell, len(metrics))
	if g == nil {
		return out
	}
	for i, m := range metrics {
		if s, ok := g.Stat(scope, m); ok {
			out[i] = Cell{Present: true, Stat: s, group: g}
		}
	}
	return out
}

// markRowGroup marks every column of rg; cols[j] describes column j.
func markRowGroup(rg *RowGroup, cols []column, opts Options) []string {
	var notes []string
	for j, col := range cols {
		column := make([]*Cell, len(rg.Rows))
		for i := range rg.Rows {
			column[i] = &rg.Rows[i].Cells[j]
		}
		notes = append(notes, markColumn(column, col, opts)...)
	}
	return notes
}

// finish sets the seed bounds and removes repeated notes.
func (t *Table) finish() {
	for _, rg := range t.RowGroups {
		for _, row := range rg.Rows {
			for _, c := range row.Cells {
				if !c.Present {
					continue
				}
				if t.MinSeeds == 0 || c.N < t.MinSeeds {
					t.MinSeeds = c.N
				}
				t.MaxSeeds = max(t.MaxSeeds, c.N)
			}
		}
	}
	slices.Sort(t.Notes)
	t.Notes = slices.Compact(t.Notes)
}
