package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/datasets/stats"
)

// dataFlags selects a dataset and its preprocessing for the data subcommands.
type dataFlags struct {
	spec     source.Spec
	prepSeed uint64
	cacheDir string
	noCache  bool
	workers  int
}

func (f *dataFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.spec.Source, "source", source.Synthetic, fmt.Sprintf("dataset source: one of %q", source.Names))
	fs.StringVar(&f.spec.Path, "path", "", "directory of the source files (kuaisar, kuaisar-r, amazon)")
	fs.StringVar(&f.spec.Shape, "shape", "kuaisar", "synthetic shape: kuaisar or amazon")
	fs.StringVar(&f.spec.Size, "size", "default", "synthetic size: tiny, default or full")
	fs.Uint64Var(&f.spec.Seed, "data-seed", 1, "seed of data generation (synthetic data, kuaisar-r searches, Amazon query paths)")
	fs.StringVar(&f.spec.OnBadRow, "on-bad-row", "fail", "what to do with a malformed row: fail, or skip and count it by reason")
	fs.Float64Var(&f.spec.SearchProb, "search-prob", 0, "kuaisar-r: probability that a click is turned into a generated search session (0 = loader default 0.25)")
	fs.Uint64Var(&f.prepSeed, "seed", 1, "seed of the split's evaluation negatives and the training negatives")
	fs.StringVar(&f.cacheDir, "cache-dir", ".cache/srbench", "directory of prepared-dataset caches")
	fs.BoolVar(&f.noCache, "no-cache", false, "prepare from the sources without reading or writing the cache")
	fs.IntVar(&f.workers, "workers", 0, "goroutines for preparation (0 = all CPUs); results do not depend on it")
}

func (f *dataFlags) prepare() (*source.Prepared, error) {
	opts := prep.DefaultOptions()
	opts.Seed = f.prepSeed
	opts.Workers = f.workers
	dir := f.cacheDir
	if f.noCache {
		dir = ""
	}
	return source.Prepare(f.spec, opts, dir)
}

func newDataCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Prepare datasets and print their statistics",
	}
	cmd.AddCommand(newDataPrepareCommand(), newDataStatsCommand())
	return cmd
}

func newDataPrepareCommand() *cobra.Command {
	var f dataFlags
	cmd := &cobra.Command{
		Use:   "prepare",
		Short: "Load or generate a dataset, preprocess and split it, and store it in the cache",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			p, err := f.prepare()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			printLoadReport(out, p, f.spec.Source)
			fmt.Fprintf(out, "prepared %s: %d users, %d items (cache: %v) in %s\n", f.spec.Name(),
				len(p.Dataset.Users), len(p.Dataset.Items), p.FromCache, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}

func newDataStatsCommand() *cobra.Command {
	var f dataFlags
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Print users, items, queries, samples per task and split, history lengths and the search share",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := f.prepare()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "dataset %s (source %s)\n", f.spec.Name(), f.spec.Source)
			printLoadReport(out, p, f.spec.Source)
			return stats.Compute(p.Prepared).Write(out)
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// printLoadReport prints the load report of p. Real data read from the cache has none, because
// the report exists only while the source files are read, so it prints a line saying so
// instead. The synthetic source never has a report.
func printLoadReport(out io.Writer, p *source.Prepared, src string) {
	switch {
	case p.Report != nil:
		fmt.Fprintln(out, p.Report.String())
	case p.FromCache && src != source.Synthetic:
		fmt.Fprintln(out, "data read from the cache: the load report is printed when the cache is built; pass --no-cache to read the source files and print it again")
	}
}
