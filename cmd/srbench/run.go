package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments/runner"
)

func newRunCommand() *cobra.Command {
	var (
		f          planFlags
		jobs       int
		cacheDir   string
		cpuProfile string
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
			stopProfile, err := startCPUProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer stopProfile()
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
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole command to this file, for go tool pprof (empty: no profile)")
	return cmd
}

// startCPUProfile starts Go's CPU profiler writing to path and returns the function that stops
// it and closes the file. An empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			slog.Warn("closing the CPU profile failed", "path", path, "err", err)
		}
	}, nil
}
