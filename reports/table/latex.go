package table

import (
	"fmt"
	"io"
	"strings"
)

// LaTeXOptions sets how WriteLaTeX renders.
type LaTeXOptions struct {
	// Standalone wraps the table in a minimal article document that pdflatex compiles as is.
	// Without it the output is a table* environment that needs the booktabs and graphicx
	// packages in the including document.
	Standalone bool
}

var latexMarkup = markup{
	bold:      func(s string) string { return `\textbf{` + s + `}` },
	underline: func(s string) string { return `\underline{` + s + `}` },
	escape:    escapeLaTeX,
	star:      `$^{*}$`,
	dagger:    `$^{\dagger}$`,
	pm:        ` $\pm$ `,
	missing:   `--`,
}

// WriteLaTeX writes t as a booktabs table.
func WriteLaTeX(w io.Writer, t *Table, opts LaTeXOptions) error {
	var b strings.Builder
	if opts.Standalone {
		b.WriteString("\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n" +
			"\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n\\begin{document}\n")
	} else {
		b.WriteString("% Needs \\usepackage{booktabs} and \\usepackage{graphicx}.\n")
	}
	t.writeLaTeXTable(&b)
	if opts.Standalone {
		b.WriteString("\\end{document}\n")
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("table: writing LaTeX of %s: %w", t.ID, err)
	}
	return nil
}

func (t *Table) writeLaTeXTable(b *strings.Builder) {
	n := t.Columns() + 1
	b.WriteString("\\begin{table*}[t]\n\\centering\n")
	fmt.Fprintf(b, "\\caption{%s %s}\n", escapeLaTeX(t.Title), strings.Join(t.legend(latexMarkup), " "))
	fmt.Fprintf(b, "\\label{tab:%s}\n", t.ID)
	b.WriteString("\\resizebox{\\textwidth}{!}{%\n")
	fmt.Fprintf(b, "\\begin{tabular}{l%s}\n\\toprule\n", strings.Repeat("c", n-1))

	var spans, rules []string
	first := 2
	for _, g := range t.ColumnGroups {
		last := first + len(g.Columns) - 1
		spans = append(spans, fmt.Sprintf("\\multicolumn{%d}{c}{%s}", len(g.Columns), escapeLaTeX(g.Title)))
		rules = append(rules, fmt.Sprintf("\\cmidrule(lr){%d-%d}", first, last))
		first = last + 1
	}
	fmt.Fprintf(b, " & %s \\\\\n%s\n", strings.Join(spans, " & "), strings.Join(rules, " "))
	header := []string{"Method"}
	for _, g := range t.ColumnGroups {
		for _, c := range g.Columns {
			header = append(header, escapeLaTeX(c))
		}
	}
	fmt.Fprintf(b, "%s \\\\\n", strings.Join(header, " & "))

	for _, rg := range t.RowGroups {
		b.WriteString("\\midrule\n")
		if rg.Title != "" {
			fmt.Fprintf(b, "\\multicolumn{%d}{l}{\\textit{%s}} \\\\\n", n, escapeLaTeX(rg.Title))
		}
		for _, r := range rg.Rows {
			fields := []string{rowLabel(r, latexMarkup, latexLabel)}
			for _, c := range r.Cells {
				fields = append(fields, t.cellText(c, latexMarkup))
			}
			fmt.Fprintf(b, "%s \\\\\n", strings.Join(fields, " & "))
		}
	}
	b.WriteString("\\bottomrule\n\\end{tabular}}\n\\end{table*}\n")
}

// latexLabel typesets the contrastive-loss ablation labels as the paper does and escapes
// every other label.
func latexLabel(label string) string {
	losses := map[string]string{
		"w/o L_con^r_intra": `w/o $\mathcal{L}_{\mathrm{con}}^{\mathrm{r\,intra}}$`,
		"w/o L_con^s_intra": `w/o $\mathcal{L}_{\mathrm{con}}^{\mathrm{s\,intra}}$`,
		"w/o L_con^inter":   `w/o $\mathcal{L}_{\mathrm{con}}^{\mathrm{inter}}$`,
		"w/o L_Q":           `w/o $\mathcal{L}_{Q}$`,
	}
	if typeset, ok := losses[label]; ok {
		return typeset
	}
	return escapeLaTeX(label)
}

// escapeLaTeX escapes the characters that LaTeX treats specially in text mode.
func escapeLaTeX(s string) string {
	replacer := strings.NewReplacer(
		`\`, `\textbackslash{}`,
		`&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`,
		`{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
		`<`, `$<$`, `>`, `$>$`, `±`, `$\pm$`,
	)
	return replacer.Replace(s)
}
