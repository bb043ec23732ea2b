package paperdiff

import (
	"fmt"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/results/paper"
)

// Tolerance sets when our value counts as matching the paper's: |ours - paper| <= Margin or
// |ours - paper| <= Fraction * min(|ours|, |paper|), the rule of cmpopts.EquateApprox.
type Tolerance struct {
	Fraction float64
	Margin   float64
}

// DefaultTolerance accepts an absolute gap of 0.01, about the gap between the paper's best and
// second-best methods on most metrics.
func DefaultTolerance() Tolerance {
	return Tolerance{Margin: 0.01}
}

// Cell is one published number beside ours.
type Cell struct {
	// Table is "Table 1" or "Table 2".
	Table string
	// Scope is "rec", "search" or "overall".
	Scope string
	// Row is the paper's method (Table 1) or variant label (Table 2).
	Row string
	// Family is the paper's dataset column.
	Family string
	// Dataset is our dataset standing for Family, empty when no run matches.
	Dataset string
	// Metric is the metric key ("ndcg@5").
	Metric string
	Paper  float64
	// Present is false when no run of ours has the cell; Ours, Diff and Within are then zero.
	Present bool
	Ours    reports.Stat
	// Diff is Ours.Mean - Paper.
	Diff float64
	// Within reports whether Ours.Mean matches Paper under the tolerance.
	Within bool
}

// Diff returns every cell of the paper's Table 1 and Table 2 with our value beside it: one
// cell per paper number and per dataset of ours that maps to its column, or one cell without
// our value when none does. Groups are selected as for the tables (reports.Table1Groups and
// reports.Ablations). It fails when the embedded paper data or the ablation grouping fails.
func Diff(groups []*reports.Group, tol Tolerance) ([]Cell, error) {
	rows1, err := paper.Table1()
	if err != nil {
		return nil, err
	}
	rows2, err := paper.Table2()
	if err != nil {
		return nil, err
	}
	sets, err := reports.Ablations(groups)
	if err != nil {
		return nil, err
	}
	var cells []Cell
	main := reports.Table1Groups(groups)
	for _, row := range rows1 {
		matches := matching(main, func(g *reports.Group) bool { return g.Family == row.Dataset && g.IsMethod(row.Method) })
		for _, key := range paper.Table1Metrics() {
			base := Cell{Table: "Table 1", Scope: row.Task, Row: row.Method, Family: row.Dataset, Metric: key, Paper: row.Values[key]}
			more, err := compare(base, matches, tol)
			if err != nil {
				return nil, err
			}
			cells = append(cells, more...)
		}
	}
	for _, row := range rows2 {
		var matches []*reports.Group
		for _, s := range sets {
			if s.Family != "KuaiSAR" {
				continue
			}
			matches = append(matches, matching(s.Rows, func(g *reports.Group) bool { return paperVariant(g.Variant) == row.Variant })...)
		}
		for _, scope := range paper.Table2Scopes() {
			for _, key := range paper.Table2Metrics() {
				base := Cell{Table: "Table 2", Scope: scope, Row: row.Variant, Family: "KuaiSAR", Metric: key, Paper: row.Values[scope][key]}
				more, err := compare(base, matches, tol)
				if err != nil {
					return nil, err
				}
				cells = append(cells, more...)
			}
		}
	}
	return cells, nil
}

func matching(groups []*reports.Group, match func(*reports.Group) bool) []*reports.Group {
	var out []*reports.Group
	for _, g := range groups {
		if match(g) {
			out = append(out, g)
		}
	}
	return out
}

// paperVariant returns the Table 2 row label of a record variant, or "" for a variant the
// paper does not list.
func paperVariant(variant string) string {
	for _, row := range reports.AblationRows() {
		if row.Variant == reports.NormalizeVariant(variant) {
			return row.PaperLabel
		}
	}
	return ""
}

// compare fills base with each matching group's value; with no match it returns base alone.
func compare(base Cell, matches []*reports.Group, tol Tolerance) ([]Cell, error) {
	m, err := protocol.ParseMetric(base.Metric)
	if err != nil {
		return nil, fmt.Errorf("paperdiff: paper data: %w", err)
	}
	var out []Cell
	for _, g := range matches {
		c := base
		c.Dataset = g.Dataset
		if s, ok := g.Stat(base.Scope, m); ok {
			c.Present, c.Ours = true, s
			c.Diff = s.Mean - base.Paper
			c.Within = cmp.Equal(s.Mean, base.Paper, cmpopts.EquateApprox(tol.Fraction, tol.Margin))
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		out = append(out, base)
	}
	return out, nil
}
