package table

import "github.com/srbench/srbench/reports"

// Mark is the rank mark of a cell within its column and row group.
type Mark uint8

const (
	// Plain is a cell that is neither best nor second best.
	Plain Mark = iota
	// Best is the highest printed value of the column; ties share it.
	Best
	// Second is the second-highest printed value of the column; ties share it.
	Second
)

// Table is a rendered-independent result table.
type Table struct {
	// ID is a short name used for file names and LaTeX labels ("table1").
	ID string
	// Title is the first sentence of the caption.
	Title string
	// ColumnGroups hold the columns left to right, after the row-label column.
	ColumnGroups []ColumnGroup
	// RowGroups hold the rows top to bottom; a group with an empty Title has no heading row.
	RowGroups []RowGroup
	// Digits is the number of decimals printed.
	Digits int
	// Alpha is the significance level of the stars.
	Alpha float64
	// MinSeeds and MaxSeeds bound the number of seeds behind the cells.
	MinSeeds, MaxSeeds int
	// Notes lists facts a reader needs that the cells do not show, such as comparisons that
	// could not be tested.
	Notes []string
}

// ColumnGroup is a heading over adjacent columns, such as a dataset.
type ColumnGroup struct {
	Title   string
	Columns []string
}

// RowGroup is a heading over adjacent rows, such as a task.
type RowGroup struct {
	Title string
	Rows  []Row
}

// Row is one method or variant.
type Row struct {
	Label string
	// Joint marks a model trained on search and recommendation together.
	Joint bool
	// Cells holds one cell per column, in the order of the column groups.
	Cells []Cell
}

// Cell is one metric of one row.
type Cell struct {
	// Present is false when no run has the metric; the other fields are then zero.
	Present bool
	reports.Stat
	Mark Mark
	// Significant is set on a unique best cell that beats every second-best cell at Alpha.
	Significant bool
	// PValue is the largest p-value of the best cell's tests against the second-best cells,
	// or 0 when none ran.
	PValue float64

	group *reports.Group
}

// Columns returns the number of data columns.
func (t *Table) Columns() int {
	n := 0
	for _, g := range t.ColumnGroups {
		n += len(g.Columns)
	}
	return n
}

// Options sets how tables are built.
type Options struct {
	// Digits is the number of decimals printed and compared for the marks; 0 means 4, as in
	// the paper.
	Digits int
	// Alpha is the significance level of the stars; 0 means 0.01, as in the paper.
	Alpha float64
}

func (o Options) withDefaults() Options {
	if o.Digits == 0 {
		o.Digits = 4
	}
	if o.Alpha == 0 {
		o.Alpha = 0.01
	}
	return o
}
