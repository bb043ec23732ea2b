package table

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeLaTeX(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a_b", `a\_b`},
		{"50% & $1", `50\% \& \$1`},
		{"x^2 {y}", `x\textasciicircum{}2 \{y\}`},
		{`back\slash`, `back\textbackslash{}slash`},
		{"p < 0.01", `p $<$ 0.01`},
	}
	for _, tc := range tests {
		if got := escapeLaTeX(tc.in); got != tc.want {
			t.Errorf("escapeLaTeX(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	if got := escapeMarkdown("w/o L_con|x*"); got != `w/o L\_con\|x\*` {
		t.Errorf("escapeMarkdown = %q", got)
	}
}

func TestTerminalPlain(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTerminal(&b, buildTable1(t), TerminalOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"[0.5000±0.0050]*", "(0.2000±0.0050)", "DHIM†", "KuaiSAR NDCG@10", "RECOMMENDATION", "[Bold]: best"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("plain terminal table contains ANSI escape codes")
	}
}

func TestTerminalColor(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTerminal(&b, buildTable1(t), TerminalOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[1m0.5000±0.0050\x1b[0m*") || !strings.Contains(b.String(), "\x1b[4m0.2000±0.0050\x1b[0m") {
		t.Errorf("colored table lacks bold and underline codes:\n%s", b.String())
	}
}

// TestLaTeXCompiles runs pdflatex on both tables, as a standalone document and as a fragment
// included in a document that loads the packages the fragment names.
func TestLaTeXCompiles(t *testing.T) {
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("pdflatex not found; install it with `apt-get install texlive-latex-extra` to run this test")
	}
	tables, err := Table2(groupRecords(t, table2Records()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range []*Table{buildTable1(t), tables[0]} {
		for _, standalone := range []bool{true, false} {
			var b bytes.Buffer
			if err := WriteLaTeX(&b, tbl, LaTeXOptions{Standalone: standalone}); err != nil {
				t.Fatal(err)
			}
			source := b.String()
			if !standalone {
				source = "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n\\begin{document}\n" + source + "\\end{document}\n"
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.tex"), []byte(source), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(pdflatex, "-interaction=nonstopmode", "-halt-on-error", "t.tex")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("pdflatex failed on %s (standalone %v): %v\n%s", tbl.ID, standalone, err, out)
			}
			if info, err := os.Stat(filepath.Join(dir, "t.pdf")); err != nil || info.Size() == 0 {
				t.Errorf("no PDF for %s (standalone %v): %v", tbl.ID, standalone, err)
			}
		}
	}
}
