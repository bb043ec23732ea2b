package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/reports/paperdiff"
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
			if len(args) == 0 {
				args = []string{"table1", "ablation"}
			}
			groups, err := loadGroups(resultsDir, args)
			if err != nil {
				return err
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
