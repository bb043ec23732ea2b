package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments/runner"
)

func newStatusCommand() *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "status EXPERIMENT",
		Short: "Show which runs of an experiment are done, failed, partial (resumable) or pending",
		Long: `Show the state of every planned run of an experiment. Pass the same --profile,
--seeds, --models and --set flags as to run, because they change the run ids.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, runs, err := f.plan(args[0])
			if err != nil {
				return err
			}
			rep, err := runner.Status(f.resultsDir, runs)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%d runs: %d done, %d failed, %d partial, %d pending\n", len(rep.Runs),
				rep.Count(runner.StateDone), rep.Count(runner.StateFailed), rep.Count(runner.StatePartial), rep.Count(runner.StatePending))
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "STATE\tRUN ID\tLABEL\tDATASET\tSEED\tNOTE")
			for _, s := range rep.Runs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", s.State, s.Run.ID, s.Run.Label, s.Run.Dataset, s.Run.Seed, note(s))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(rep.Unplanned) > 0 {
				fmt.Fprintf(out, "%d records in the folder belong to no planned run (an earlier configuration): %v\n", len(rep.Unplanned), rep.Unplanned)
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// note returns the error of a failed run or the wall time of a done one.
func note(s runner.RunState) string {
	switch {
	case s.Record == nil:
		return ""
	case s.State == runner.StateFailed:
		return s.Record.Error
	}
	return fmt.Sprintf("%.0f s", s.Record.Env.WallSeconds)
}
