package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/reports/paperdiff"
	"github.com/srbench/srbench/results"
)

func newDiffPaperCommand() *cobra.Command {
	var resultsDir string
	tol := paperdiff.DefaultTolerance()
	cmd := &cobra.Command{
		Use:   "diff-paper [EXPERIMENT...]",
		Short: "Print every number of the paper's Table 1 and Table 2 beside ours, and check the paper's claims",
		Long: "Print each cell of the DHIM paper's Table 1 and Table 2 with our mean over seeds, the paper's value\n" +
			"and the difference, marking cells outside the tolerance, then check the paper's claims on our\n" +
			"results. Runs map to paper columns by their dataset family. Experiments default to table1 and\n" +
			"ablation. Gaps to the paper never fail the command; unreadable records do.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if tol.Margin < 0 || tol.Fraction < 0 {
				return fmt.Errorf("invalid tolerance (--tolerance %g, --tolerance-fraction %g): use values of 0 or more", tol.Margin, tol.Fraction)
			}
			defaults := len(args) == 0
			if defaults {
				args = []string{"table1", "ablation"}
			}
			groups, err := loadGroups(resultsDir, args)
			if err != nil {
				return err
			}
			if defaults {
				noteQuickRecords(cmd.OutOrStdout(), resultsDir, args)
			}
			cells, err := paperdiff.Diff(groups, tol)
			if err != nil {
				return err
			}
			scores, err := paperdiff.ScoresFromGroups(groups)
			if err != nil {
				return err
			}
			return paperdiff.WriteReport(cmd.OutOrStdout(), cells, paperdiff.CheckClaims(scores), tol)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&resultsDir, "results", "results", "directory of result records, one folder per experiment")
	fs.Float64Var(&tol.Margin, "tolerance", tol.Margin, "absolute gap to the paper that still counts as a match")
	fs.Float64Var(&tol.Fraction, "tolerance-fraction", tol.Fraction, "relative gap to the paper (of the smaller value) that still counts as a match")
	return cmd
}

// noteQuickRecords prints a line for each experiment without records whose quick-profile
// folder ("<experiment>-quick") has some, because the default experiments leave those out.
func noteQuickRecords(out io.Writer, resultsDir string, experiments []string) {
	for _, name := range experiments {
		if recs, err := results.ReadExperiment(resultsDir, name); err != nil || len(recs) > 0 {
			continue
		}
		quick := name + "-quick"
		if recs, err := results.ReadExperiment(resultsDir, quick); err == nil && len(recs) > 0 {
			fmt.Fprintf(out, "note: %s has no records under %s, but %s has %d; pass the experiment names to compare those: srbench diff-paper %s\n",
				name, resultsDir, quick, len(recs), quickNames(experiments))
		}
	}
}

func quickNames(experiments []string) string {
	names := make([]string, len(experiments))
	for i, e := range experiments {
		names[i] = e + "-quick"
	}
	return strings.Join(names, " ")
}
