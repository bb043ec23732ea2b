package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments/runner"
)

func newRunCommand() *cobra.Command {
	var (
		f        planFlags
		jobs     int
		cacheDir string
	)
	cmd := &cobra.Command{
		Use:   "run EXPERIMENT",
		Short: "Run an experiment: every model, dataset, seed and sweep point, one result record per run",
		Long: `Run an experiment, an embedded name (see srbench list) or the path of a .toml file.

Runs whose record exists with status done are skipped, an interrupted run resumes from
its last epoch checkpoint, and a failed run is recorded without stopping the others.
The command exits with an error listing the failed runs at the end.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if jobs < 1 {
				return fmt.Errorf("invalid --jobs %d: use 1 or more", jobs)
			}
			_, runs, err := f.plan(args[0])
			if err != nil {
				return err
			}
			summary, err := runner.Execute(cmd.Context(), runs, runner.Options{
				Dir: f.resultsDir, CacheDir: cacheDir, Jobs: jobs, Progress: os.Stderr,
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d runs: %d done now, %d already done, %d failed\n",
				summary.Planned, summary.Done, summary.Skipped, summary.Failed)
			return summary.Err()
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().IntVar(&jobs, "jobs", 1, "runs executed at once; results do not depend on it")
	cmd.Flags().StringVar(&cacheDir, "cache-dir", ".cache/srbench", "directory of prepared-dataset caches (empty disables the cache)")
	return cmd
}
