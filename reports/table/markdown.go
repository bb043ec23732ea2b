package table

import (
	"fmt"
	"io"
	"strings"
)

// Markdown marks: GitHub's Markdown has no underline, but it renders the <ins> tag underlined.
var markdownMarkup = markup{
	bold:      func(s string) string { return "**" + s + "**" },
	underline: func(s string) string { return "<ins>" + s + "</ins>" },
	escape:    escapeMarkdown,
	star:      `\*`,
	dagger:    "†",
	pm:        " ± ",
	missing:   "–",
}

// WriteMarkdown writes t as a GitHub-flavoured Markdown table: the caption as a paragraph, one
// header row whose cells join the column-group title and the column name, and each row group
// opened by a row holding its title in italics.
func WriteMarkdown(w io.Writer, t *Table) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s.** %s\n\n", escapeMarkdown(tableName(t)), escapeMarkdown(t.Title))
	header := []string{"Method"}
	align := []string{":--"}
	for _, g := range t.ColumnGroups {
		for _, c := range g.Columns {
			header = append(header, escapeMarkdown(g.Title+" "+c))
			align = append(align, "--:")
		}
	}
	writeMarkdownRow(&b, header)
	writeMarkdownRow(&b, align)
	for _, rg := range t.RowGroups {
		if rg.Title != "" {
			fields := make([]string, len(header))
			fields[0] = "*" + escapeMarkdown(rg.Title) + "*"
			writeMarkdownRow(&b, fields)
		}
		for _, r := range rg.Rows {
			fields := []string{rowLabel(r, markdownMarkup, escapeMarkdown)}
			for _, c := range r.Cells {
				fields = append(fields, t.cellText(c, markdownMarkup))
			}
			writeMarkdownRow(&b, fields)
		}
	}
	b.WriteString("\n")
	for _, line := range t.legend(markdownMarkup) {
		b.WriteString(line + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("table: writing Markdown of %s: %w", t.ID, err)
	}
	return nil
}

func writeMarkdownRow(b *strings.Builder, fields []string) {
	b.WriteString("| " + strings.Join(fields, " | ") + " |\n")
}

// tableName returns "Table 1" for ID "table1" and the ID for other tables.
func tableName(t *Table) string {
	if rest, ok := strings.CutPrefix(t.ID, "table"); ok && rest != "" {
		return "Table " + rest
	}
	return t.ID
}

// escapeMarkdown escapes the characters that Markdown or a table cell would interpret.
func escapeMarkdown(s string) string {
	replacer := strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `|`, `\|`, `<`, `&lt;`, `>`, `&gt;`, `[`, `\[`, `]`, `\]`)
	return replacer.Replace(s)
}
