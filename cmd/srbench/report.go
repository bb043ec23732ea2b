package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/table"
	"github.com/srbench/srbench/results"
)

// reportFlags selects the tables and formats of `srbench report`.
type reportFlags struct {
	resultsDir string
	outDir     string
	format     string
	table      string
	standalone bool
	digits     int
}

func newReportCommand() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report EXPERIMENT",
		Short: "Render an experiment's results as the paper's Table 1 or Table 2 (LaTeX, Markdown, terminal)",
		Long: "Render the result records of EXPERIMENT as tables: Table 1 (methods per task and dataset) or,\n" +
			"for an ablation study, Table 2 (variants against the full model). LaTeX and Markdown go to files\n" +
			"in --out; the terminal table goes to stdout.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, args[0], f)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.resultsDir, "results", "results", "directory of result records, one folder per experiment")
	fs.StringVar(&f.outDir, "out", "", "directory for the LaTeX and Markdown files (default out/EXPERIMENT)")
	fs.StringVar(&f.format, "format", "all", "output format: latex, markdown, terminal or all")
	fs.StringVar(&f.table, "table", "auto", "table to render: 1, 2, or auto (2 when the experiment holds ablation variants, else 1)")
	fs.BoolVar(&f.standalone, "standalone", false, "wrap the LaTeX table in a minimal document that pdflatex compiles as is")
	fs.IntVar(&f.digits, "digits", 4, "decimals printed and compared for the best and second-best marks")
	return cmd
}

func runReport(cmd *cobra.Command, experiment string, f reportFlags) error {
	formats, err := parseFormats(f.format)
	if err != nil {
		return err
	}
	if f.digits < 1 || f.digits > 8 {
		return fmt.Errorf("invalid --digits %d: use a value from 1 to 8", f.digits)
	}
	groups, err := loadGroups(f.resultsDir, []string{experiment})
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		return fmt.Errorf("no finished records under %s: run `srbench run %s` first, or pass --results DIR", filepath.Join(f.resultsDir, experiment), experiment)
	}
	tables, err := buildTables(groups, f.table, table.Options{Digits: f.digits})
	if err != nil {
		return fmt.Errorf("experiment %s: %w", experiment, err)
	}
	outDir := f.outDir
	if outDir == "" {
		outDir = filepath.Join("out", experiment)
	}
	for _, t := range tables {
		if err := writeTable(cmd, t, formats, outDir, f.standalone); err != nil {
			return err
		}
	}
	return nil
}

func parseFormats(format string) (map[string]bool, error) {
	switch format {
	case "latex", "markdown", "terminal":
		return map[string]bool{format: true}, nil
	case "all":
		return map[string]bool{"latex": true, "markdown": true, "terminal": true}, nil
	}
	return nil, fmt.Errorf("invalid --format %q: use latex, markdown, terminal or all", format)
}

// loadGroups reads the records of the experiments and groups them, logging each skipped run.
func loadGroups(resultsDir string, experiments []string) ([]*reports.Group, error) {
	if info, err := os.Stat(resultsDir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("results folder %s does not exist or is not a folder: pass --results DIR, or run an experiment first", resultsDir)
	}
	var records []*results.Record
	for _, name := range experiments {
		recs, err := results.ReadExperiment(resultsDir, name)
		if err != nil {
			return nil, fmt.Errorf("reading experiment %s under %s: %w", name, resultsDir, err)
		}
		if len(recs) == 0 {
			slog.Warn("no result records", "experiment", name, "dir", filepath.Join(resultsDir, name))
		}
		records = append(records, recs...)
	}
	groups, skipped, err := reports.GroupRuns(records)
	if err != nil {
		return nil, err
	}
	for _, s := range skipped {
		slog.Warn("run left out of the report", "run", s.RunID, "reason", s.Reason)
	}
	slog.Info("records loaded", "experiments", experiments, "records", len(records), "skipped", len(skipped), "configurations", len(groups))
	return groups, nil
}

func buildTables(groups []*reports.Group, which string, opts table.Options) ([]*table.Table, error) {
	switch which {
	case "auto":
		sets, err := reports.Ablations(groups)
		if err != nil {
			return nil, err
		}
		if len(sets) > 0 {
			return table.Table2(groups, opts)
		}
		fallthrough
	case "1":
		t, err := table.Table1(groups, opts)
		if err != nil {
			return nil, err
		}
		return []*table.Table{t}, nil
	case "2":
		return table.Table2(groups, opts)
	}
	return nil, fmt.Errorf("invalid --table %q: use 1, 2 or auto", which)
}

func writeTable(cmd *cobra.Command, t *table.Table, formats map[string]bool, outDir string, standalone bool) error {
	if formats["latex"] {
		var b bytes.Buffer
		if err := table.WriteLaTeX(&b, t, table.LaTeXOptions{Standalone: standalone}); err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(outDir, t.ID+".tex"), b.Bytes()); err != nil {
			return err
		}
	}
	if formats["markdown"] {
		var b bytes.Buffer
		if err := table.WriteMarkdown(&b, t); err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(outDir, t.ID+".md"), b.Bytes()); err != nil {
			return err
		}
	}
	if formats["terminal"] {
		return table.WriteTerminal(cmd.OutOrStdout(), t, table.TerminalOptions{Color: isTerminal(cmd)})
	}
	return nil
}

func writeOutput(path string, data []byte) error {
	if err := reports.WriteFile(path, data); err != nil {
		return err
	}
	slog.Info("file written", "file", path)
	return nil
}

// isTerminal reports whether the command writes to a character device, where ANSI marks show.
func isTerminal(cmd *cobra.Command) bool {
	f, ok := cmd.OutOrStdout().(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
