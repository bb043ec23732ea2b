package paperdiff

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteReport writes the cells as aligned text, one line per cell with our value, the DHIM
// paper's value and the difference. It marks cells outside the tolerance "OUT" and cells
// without a run "missing", then prints a count per table and the claims with their verdicts.
func WriteReport(w io.Writer, cells []Cell, claims []Claim, tol Tolerance) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Our results against the DHIM paper (AAAI 2026); tolerance: |ours - paper| <= %g", tol.Margin)
	if tol.Fraction > 0 {
		fmt.Fprintf(&b, " or <= %g of the smaller value", tol.Fraction)
	}
	b.WriteString(".\nOurs is the mean over seeds; synthetic datasets stand for the paper column of their family.\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "table\ttask\trow\tpaper dataset\tour dataset\tmetric\tours\tpaper\tdiff\t")
	for _, c := range cells {
		ours, diff, flag := "-", "-", "missing"
		if c.Present {
			ours = fmt.Sprintf("%.4f", c.Ours.Mean)
			if c.Ours.N > 1 {
				ours += fmt.Sprintf("±%.4f", c.Ours.Std)
			}
			diff = fmt.Sprintf("%+.4f", c.Diff)
			flag = ""
			if !c.Within {
				flag = "OUT"
			}
		}
		dataset := c.Dataset
		if dataset == "" {
			dataset = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.4f\t%s\t%s\n", c.Table, c.Scope, c.Row, c.Family, dataset, c.Metric, ours, c.Paper, diff, flag)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("paperdiff: formatting: %w", err)
	}
	b.WriteString("\n")
	for _, line := range summarize(cells) {
		b.WriteString(line + "\n")
	}
	b.WriteString("\nClaims of the paper on these results:\n")
	for _, c := range claims {
		fmt.Fprintf(&b, "- [%s] %s\n", c.Verdict, c.Statement)
		for _, e := range c.Evidence {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("paperdiff: writing the report: %w", err)
	}
	return nil
}

// summarize counts, per table, the cells within tolerance, outside it and missing.
func summarize(cells []Cell) []string {
	type counts struct{ within, out, missing int }
	var order []string
	byTable := make(map[string]*counts)
	for _, c := range cells {
		n := byTable[c.Table]
		if n == nil {
			n = &counts{}
			byTable[c.Table] = n
			order = append(order, c.Table)
		}
		switch {
		case !c.Present:
			n.missing++
		case c.Within:
			n.within++
		default:
			n.out++
		}
	}
	var lines []string
	for _, table := range order {
		n := byTable[table]
		lines = append(lines, fmt.Sprintf("%s: %d cells within tolerance, %d outside, %d without our result.", table, n.within, n.out, n.missing))
	}
	return lines
}
