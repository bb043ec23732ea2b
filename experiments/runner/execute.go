package runner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/results"
)

// Options configures Execute. None of it changes a run's result.
type Options struct {
	// Dir is the results root; records go to Dir/<experiment>/<run id>.json and checkpoints
	// to Dir/<experiment>/.ckpt/<run id>.ckpt.
	Dir string
	// CacheDir holds prepared-dataset caches; empty prepares every dataset from its source.
	CacheDir string
	// Jobs is the number of runs executed at once; values below 1 mean 1.
	Jobs int
	// Logger receives progress and the trainer's per-epoch lines; nil means slog.Default().
	Logger *slog.Logger
	// Progress receives the trainer's step bar when Jobs is 1; nil means os.Stderr.
	Progress io.Writer
	// OnEpoch, when set, is called after each epoch of each run (after its checkpoint).
	// Returning an error fails the run.
	OnEpoch func(r Run, e train.EpochRecord) error
}

// Summary counts the outcome of Execute.
type Summary struct {
	// Planned is the number of runs given to Execute.
	Planned int
	// Skipped counts runs whose record already had status done.
	Skipped int
	// Done and Failed count the runs this call finished.
	Done, Failed int
	// FailedRuns lists the failed runs with their errors, in completion order.
	FailedRuns []FailedRun
}

// FailedRun is a run that ended with an error.
type FailedRun struct {
	ID    string
	Error string
}

// Err returns nil when no run failed, or an error that lists every failed run and its error.
func (s *Summary) Err() error {
	if len(s.FailedRuns) == 0 {
		return nil
	}
	lines := make([]string, len(s.FailedRuns))
	for i, f := range s.FailedRuns {
		lines[i] = fmt.Sprintf("  %s: %s", f.ID, f.Error)
	}
	return fmt.Errorf("%d of %d runs failed:\n%s", len(s.FailedRuns), s.Planned, strings.Join(lines, "\n"))
}

// CheckpointPath returns the checkpoint file of a run under the results root dir.
func CheckpointPath(dir string, r Run) string {
	return filepath.Join(dir, r.Experiment, ".ckpt", r.ID+".ckpt")
}

// Execute runs every run whose record is not done, Jobs at a time, and writes one record per
// finished run. With one job the runs start in the plan's order; with more, the runs of the
// costliest models (registry.Spec.Cost) start first. A run that fails is recorded with status failed and does not stop the
// others. When ctx is cancelled, Execute starts no other run and waits for the running ones
// to stop at their next step. Their last epoch checkpoints stay and no record is written for
// them, and Execute returns the summary with an error wrapping ctx.Err(). It returns an error before
// starting anything when a run's dataset needs a path that is missing.
func Execute(ctx context.Context, runs []Run, o Options) (*Summary, error) {
	e := &executor{opts: o, log: o.Logger, summary: &Summary{Planned: len(runs)}}
	if e.log == nil {
		e.log = slog.Default()
	}
	if err := checkPaths(runs); err != nil {
		return nil, err
	}
	pending, err := e.pending(runs)
	if err != nil {
		return nil, err
	}
	if e.store, err = newDataStore(o.CacheDir, pending); err != nil {
		return nil, err
	}
	e.env = hostEnvironment(ctx, o.Dir, o.CacheDir)
	e.log.Info("runs planned", "runs", len(runs), "to_run", len(pending), "skipped_done", e.summary.Skipped,
		"jobs", max(o.Jobs, 1), "git_commit", e.env.GitCommit, "git_dirty", dirtyText(e.env.GitDirty))
	if o.Jobs > 1 {
		longestFirst(pending)
	}
	e.runAll(ctx, pending)
	if err := ctx.Err(); err != nil {
		return e.summary, fmt.Errorf("interrupted after %d of %d runs: %w", e.summary.Done+e.summary.Failed, len(pending), err)
	}
	return e.summary, nil
}

// checkPaths rejects runs of a real dataset without a path.
func checkPaths(runs []Run) error {
	for _, r := range runs {
		spec := r.Config.Spec
		if spec.Source != source.Synthetic && spec.Path == "" {
			return fmt.Errorf("dataset %s (source %s) has no path: pass --data-path DIR or --set data.%s.path=DIR", r.Dataset, spec.Source, r.Dataset)
		}
		if err := spec.Validate(); err != nil {
			return fmt.Errorf("dataset %s: %w", r.Dataset, err)
		}
	}
	return nil
}

// executor is the state of one Execute call.
type executor struct {
	opts  Options
	log   *slog.Logger
	store *dataStore
	env   results.Environment

	mu       sync.Mutex
	summary  *Summary
	started  time.Time
	finished int
	total    int
	// costTotal and costDone sum runWeight over the runs to execute and the finished ones.
	costTotal, costDone float64
}

// runWeight is a run's share of the remaining work in the time estimate: its model's registry
// Cost plus one, so that runs of near-zero cost still count.
func runWeight(r Run) float64 { return r.Entry.Cost + 1 }

// pending returns the runs without a done record. A record that cannot be read is logged and
// its run is run again.
func (e *executor) pending(runs []Run) ([]Run, error) {
	var out []Run
	for _, r := range runs {
		path := results.Path(e.opts.Dir, r.Experiment, r.ID)
		rec, err := results.Read(path)
		switch {
		case err == nil && rec.Status == results.StatusDone:
			e.summary.Skipped++
			continue
		case err != nil && !errors.Is(err, os.ErrNotExist):
			e.log.Warn("unreadable record; running again", "run", r.ID, "path", path, "err", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// longestFirst orders runs by their model's registry Cost, highest first, keeping the plan's
// order among equal costs. With several jobs, this keeps a long run from finishing alone on one
// worker. In one seed of table1 with two jobs in the plan's order, DHIM on the Amazon-like data
// ran its last 6 of 13 minutes while the other worker was idle. Results do not depend on the
// order.
func longestFirst(runs []Run) {
	slices.SortStableFunc(runs, func(a, b Run) int { return cmp.Compare(b.Entry.Cost, a.Entry.Cost) })
}

// runAll feeds the runs in order to Jobs workers and waits for them.
func (e *executor) runAll(ctx context.Context, runs []Run) {
	e.started, e.total = time.Now(), len(runs)
	for _, r := range runs {
		e.costTotal += runWeight(r)
	}
	work := make(chan Run)
	var wg sync.WaitGroup
	for range max(e.opts.Jobs, 1) {
		wg.Go(func() {
			for r := range work {
				e.runOne(ctx, r)
			}
		})
	}
	for _, r := range runs {
		if ctx.Err() != nil {
			break
		}
		work <- r
	}
	close(work)
	wg.Wait()
}

// logInterrupted logs an interrupted run, saying whether an epoch checkpoint exists for the next
// start to resume from.
func (e *executor) logInterrupted(r Run) {
	path := CheckpointPath(e.opts.Dir, r)
	if _, err := os.Stat(path); err != nil {
		e.log.Info("run interrupted before its first epoch checkpoint; the next start begins it from scratch", "run", r.ID)
		return
	}
	e.log.Info("run interrupted; its last epoch checkpoint stays for the next start", "run", r.ID, "checkpoint", path)
}

// runOne executes one run and writes its record, unless ctx was cancelled.
func (e *executor) runOne(ctx context.Context, r Run) {
	if ctx.Err() != nil {
		return
	}
	started := time.Now()
	res, built, err := e.train(ctx, r)
	if ctx.Err() != nil {
		e.logInterrupted(r)
		return
	}
	rec := e.record(r, res, built, err, started)
	if werr := results.Write(results.Path(e.opts.Dir, r.Experiment, r.ID), rec); werr != nil {
		e.log.Error("writing the record failed", "run", r.ID, "err", werr)
		rec.Status, rec.Error = results.StatusFailed, werr.Error()
	}
	// A failed run starts over on the next call too, in case its checkpoint caused the failure.
	if rerr := os.Remove(CheckpointPath(e.opts.Dir, r)); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		e.log.Warn("removing the checkpoint of a finished run failed", "run", r.ID, "err", rerr)
	}
	e.progress(r, rec)
}
