package table

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/srbench/srbench/reports"
)

// markup holds the renderer-specific pieces of cell and legend text.
type markup struct {
	bold, underline func(string) string
	// escape makes plain text safe for the output format.
	escape func(string) string
	// star, dagger and pm are the significance mark, the joint-model mark and the plus-minus
	// sign; missing is the text of an absent cell.
	star, dagger, pm, missing string
}

// number formats v with the table's precision.
func (t *Table) number(v float64) string {
	return strconv.FormatFloat(v, 'f', t.Digits, 64)
}

// cellText formats a cell: mean, "± std" when it has several seeds, the rank mark and the star.
func (t *Table) cellText(c Cell, mk markup) string {
	if !c.Present {
		return mk.missing
	}
	text := t.number(c.Mean)
	if c.N > 1 {
		text += mk.pm + t.number(c.Std)
	}
	switch c.Mark {
	case Best:
		text = mk.bold(text)
	case Second:
		text = mk.underline(text)
	}
	if c.Significant {
		text += mk.star
	}
	return text
}

// rowLabel formats a row label with the joint-model mark.
func rowLabel(r Row, mk markup, label func(string) string) string {
	text := label(r.Label)
	if r.Joint {
		text += mk.dagger
	}
	return text
}

func (t *Table) hasJoint() bool {
	for _, rg := range t.RowGroups {
		for _, r := range rg.Rows {
			if r.Joint {
				return true
			}
		}
	}
	return false
}

// legend returns the caption sentences after the title.
func (t *Table) legend(mk markup) []string {
	lines := []string{
		fmt.Sprintf("%s: best; %s: second best (compared at %d decimals).", mk.bold("Bold"), mk.underline("underlined"), t.Digits),
	}
	if t.hasJoint() {
		lines = append(lines, mk.dagger+mk.escape(": trained on search and recommendation jointly."))
	}
	lines = append(lines, mk.star+mk.escape(fmt.Sprintf(": the best is significantly better than every second best (p < %g, %s).",
		t.Alpha, reports.SignificanceTest)))
	switch {
	case t.MaxSeeds > 1 && t.MinSeeds == t.MaxSeeds:
		lines = append(lines, mk.escape("Mean ")+strings.TrimSpace(mk.pm)+mk.escape(fmt.Sprintf(" sample standard deviation over %d seeds.", t.MaxSeeds)))
	case t.MaxSeeds > 1:
		lines = append(lines, mk.escape("Mean ")+strings.TrimSpace(mk.pm)+mk.escape(fmt.Sprintf(" sample standard deviation over %d to %d seeds; a value without deviation comes from one seed.", t.MinSeeds, t.MaxSeeds)))
	case t.MaxSeeds == 1:
		lines = append(lines, mk.escape("One seed per cell."))
	}
	for _, n := range t.Notes {
		lines = append(lines, mk.escape(n))
	}
	return lines
}
