package runner

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/results"
)

// train prepares the run's data, builds its model and trains it, resuming from the run's
// checkpoint when one exists. tasks is the built model's task list (nil when building failed).
// A panic is returned as an error.
func (e *executor) train(ctx context.Context, r Run) (res *train.Result, tasks []datasets.Kind, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			e.log.Error("run panicked", "run", r.ID, "panic", p, "stack", string(debug.Stack()))
		}
	}()
	data, err := e.store.get(r)
	defer e.store.release(r)
	if err != nil {
		return nil, nil, fmt.Errorf("preparing dataset %s: %w", r.Dataset, err)
	}
	model, err := r.Entry.Build(data.Prepared, r.Config.Options, r.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("building model %s: %w", r.Model, err)
	}
	tasks = model.Tasks()
	ckpt := CheckpointPath(e.opts.Dir, r)
	_, statErr := os.Stat(ckpt)
	resume := statErr == nil
	e.log.Info("run started", "run", r.ID, "model", r.Model, "variant", r.Variant, "dataset", r.Dataset,
		"seed", r.Seed, "resume", resume)
	opts := train.Options{
		Logger:     e.log.With("run", r.ID),
		Progress:   e.opts.Progress,
		Quiet:      e.opts.Jobs > 1,
		Checkpoint: ckpt,
		Resume:     resume,
	}
	if e.opts.OnEpoch != nil {
		opts.OnEpoch = func(rec train.EpochRecord) error { return e.opts.OnEpoch(r, rec) }
	}
	if err := os.MkdirAll(filepath.Dir(ckpt), 0o755); err != nil {
		return nil, tasks, fmt.Errorf("creating the checkpoint folder: %w", err)
	}
	res, err = train.Train(ctx, model, data.Prepared, r.Config.Train, opts)
	if err != nil && resume {
		err = fmt.Errorf("%w (resumed from %s)", err, ckpt)
	}
	return res, tasks, err
}

// record builds the result record of a finished run.
func (e *executor) record(r Run, res *train.Result, tasks []datasets.Kind, err error, started time.Time) *results.Record {
	finished := time.Now()
	env := e.env
	env.Started, env.Finished = started.Format(time.RFC3339), finished.Format(time.RFC3339)
	env.WallSeconds = finished.Sub(started).Seconds()
	env.PeakRSSBytes = peakRSS()
	joint := r.Entry.Joint()
	if tasks != nil {
		joint = len(tasks) == 2
	}
	cfg := map[string]any{"origin": maps.Clone(r.Config.Origin)}
	for section, values := range r.Config.Values {
		cfg[section] = values
	}
	if r.DataFingerprint != "" {
		cfg["data_fingerprint"] = r.DataFingerprint
	}
	rec := &results.Record{
		Experiment: r.Experiment, RunID: r.ID, Status: results.StatusDone,
		Model: r.Model, Variant: r.Variant, Label: r.Label, Joint: joint,
		Dataset: r.Config.Spec.Name(), Family: r.Config.Family, Seed: r.Seed, Sweep: r.Sweep,
		Config: cfg, Train: res, Env: env,
	}
	if err != nil {
		rec.Status, rec.Error, rec.Train = results.StatusFailed, err.Error(), nil
	}
	return rec
}

// progress counts a finished run and logs the runs finished and left with an estimate of the
// time left: the wall time since the start, scaled by the cost of the runs left over the cost of
// the finished ones (runWeight). Counting runs alone overestimated it when the longest runs
// start first.
func (e *executor) progress(r Run, rec *results.Record) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.finished++
	if rec.Status == results.StatusDone {
		e.summary.Done++
	} else {
		e.summary.Failed++
		e.summary.FailedRuns = append(e.summary.FailedRuns, FailedRun{ID: r.ID, Error: rec.Error})
	}
	elapsed := time.Since(e.started)
	left := e.total - e.finished
	e.costDone += runWeight(r)
	eta := time.Duration(float64(elapsed) * max(e.costTotal-e.costDone, 0) / e.costDone)
	attrs := []any{"run", r.ID, "status", rec.Status, "wall", time.Duration(rec.Env.WallSeconds * float64(time.Second)).Round(time.Second),
		"finished", e.finished, "left", left, "failed", e.summary.Failed, "eta", eta.Round(time.Second)}
	if rec.Status == results.StatusDone {
		e.log.Info("run finished", attrs...)
	} else {
		e.log.Error("run failed", append(attrs, "err", rec.Error)...)
	}
}
