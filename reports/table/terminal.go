package table

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// TerminalOptions sets how WriteTerminal renders.
type TerminalOptions struct {
	// Color marks the best cells bold and the second best underlined with ANSI escape codes.
	// Without it the best cells are wrapped in [brackets] and the second best in (parentheses).
	Color bool
}

func terminalMarkup(color bool) markup {
	mk := markup{
		escape:  func(s string) string { return s },
		star:    "*",
		dagger:  "†",
		pm:      "±",
		missing: "-",
	}
	if color {
		mk.bold = func(s string) string { return "\x1b[1m" + s + "\x1b[0m" }
		mk.underline = func(s string) string { return "\x1b[4m" + s + "\x1b[0m" }
	} else {
		mk.bold = func(s string) string { return "[" + s + "]" }
		mk.underline = func(s string) string { return "(" + s + ")" }
	}
	return mk
}

// WriteTerminal writes t as a box-drawn text table followed by its caption. Each header cell
// joins the column-group title and the column name, and each row group opens with a row
// holding its title.
func WriteTerminal(w io.Writer, t *Table, opts TerminalOptions) error {
	mk := terminalMarkup(opts.Color)
	var b strings.Builder
	fmt.Fprintf(&b, "%s. %s\n", tableName(t), t.Title)
	tbl := tablewriter.NewTable(&b,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: terminalAlignment(t)}),
	)
	header := []string{"Method"}
	for _, g := range t.ColumnGroups {
		for _, c := range g.Columns {
			header = append(header, g.Title+" "+c)
		}
	}
	tbl.Header(header)
	for _, rg := range t.RowGroups {
		if rg.Title != "" {
			fields := make([]string, len(header))
			fields[0] = strings.ToUpper(rg.Title)
			if err := tbl.Append(fields); err != nil {
				return fmt.Errorf("table: rendering %s: %w", t.ID, err)
			}
		}
		for _, r := range rg.Rows {
			fields := []string{rowLabel(r, mk, mk.escape)}
			for _, c := range r.Cells {
				fields = append(fields, t.cellText(c, mk))
			}
			if err := tbl.Append(fields); err != nil {
				return fmt.Errorf("table: rendering %s: %w", t.ID, err)
			}
		}
	}
	if err := tbl.Render(); err != nil {
		return fmt.Errorf("table: rendering %s: %w", t.ID, err)
	}
	for _, line := range t.legend(mk) {
		b.WriteString(line + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("table: writing %s: %w", t.ID, err)
	}
	return nil
}

// terminalAlignment aligns the label column left and the numbers right.
func terminalAlignment(t *Table) []tw.Align {
	align := []tw.Align{tw.AlignLeft}
	for range t.Columns() {
		align = append(align, tw.AlignRight)
	}
	return align
}
