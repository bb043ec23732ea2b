package main

import (
	"fmt"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/results"
)

func newCheckReproCommand() *cobra.Command {
	var dirA, dirB string
	cmd := &cobra.Command{
		Use:   "check-repro EXPERIMENT",
		Short: "Check that two result folders hold identical metrics for every run they share",
		Long: "Compare the records of EXPERIMENT under --results and --against run by run: the validation\n" +
			"and test rankings (per-case values included), the learning curves' losses and metrics, and\n" +
			"the best epoch must be identical. Wall times and memory are ignored. It fails when a shared\n" +
			"run differs or when the folders share no run.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return checkRepro(cmd, args[0], dirA, dirB)
		},
	}
	cmd.Flags().StringVar(&dirA, "results", "results", "folder of the first set of result records")
	cmd.Flags().StringVar(&dirB, "against", "", "folder of the second set of result records (required)")
	_ = cmd.MarkFlagRequired("against")
	return cmd
}

func checkRepro(cmd *cobra.Command, experiment, dirA, dirB string) error {
	a, err := results.ReadExperiment(dirA, experiment)
	if err != nil {
		return err
	}
	b, err := results.ReadExperiment(dirB, experiment)
	if err != nil {
		return err
	}
	byID := make(map[string]*results.Record, len(b))
	for _, r := range b {
		byID[r.RunID] = r
	}
	ignore := cmp.Options{
		cmpopts.IgnoreFields(train.Result{}, "WallSeconds", "PeakRSSBytes"),
		cmpopts.IgnoreFields(train.EpochRecord{}, "Seconds", "StepsPerSecond", "PeakRSSBytes"),
		cmpopts.EquateEmpty(),
	}
	shared, differ := 0, 0
	for _, ra := range a {
		rb, ok := byID[ra.RunID]
		if !ok || ra.Status != results.StatusDone || rb.Status != results.StatusDone {
			continue
		}
		shared++
		if diff := cmp.Diff(ra.Train, rb.Train, ignore); diff != "" {
			differ++
			fmt.Fprintf(cmd.OutOrStdout(), "run %s differs (-%s +%s):\n%s\n", ra.RunID, dirA, dirB, diff)
		}
	}
	if shared == 0 {
		return fmt.Errorf("check-repro: %s and %s share no finished run of %s; run the same runs into both folders", dirA, dirB, experiment)
	}
	if differ > 0 {
		return fmt.Errorf("check-repro: %d of %d shared runs differ", differ, shared)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d shared runs of %s are identical\n", shared, experiment)
	return nil
}
