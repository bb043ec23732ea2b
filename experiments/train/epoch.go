package train

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/protocol"
)

// selectionKey is the metric of model selection: NDCG@5 on validation, as in UniSAR and DHIM.
const selectionKey = "ndcg@5"

// runEpoch trains one epoch, validates, updates early stopping, the plateau schedule and the
// best weights, logs the epoch and saves the checkpoint.
func (t *trainer) runEpoch(ctx context.Context) error {
	start := time.Now()
	rec := EpochRecord{Epoch: t.epoch + 1, Loss: map[string]float64{}}
	if t.opt != nil {
		rec.LR = t.opt.LR()
		if err := t.trainEpoch(ctx, &rec); err != nil {
			return err
		}
	}
	trainSeconds := time.Since(start).Seconds()
	if rec.Steps > 0 && trainSeconds > 0 {
		rec.StepsPerSecond = float64(rec.Steps) / trainSeconds
	}

	valid, err := t.eval.rank(ctx, prep.Valid)
	if err != nil {
		return fmt.Errorf("train: epoch %d: %w", rec.Epoch, err)
	}
	rec.Valid = valid.Scopes
	rec.Selection = selectionMetric(valid.Scopes, t.tasks)
	improved, stop := t.early.Observe(rec.Epoch, rec.Selection)
	rec.Improved = improved
	if improved {
		t.keepBest(valid)
	}
	t.stopped = stop
	reduced := false
	if t.plateau != nil {
		reduced = t.plateau.Step(rec.Selection)
	}
	t.epoch++
	rec.Seconds = time.Since(start).Seconds()
	rec.PeakRSSBytes = peakRSS()
	t.records = append(t.records, rec)
	t.logEpoch(rec, reduced)

	if t.opts.Checkpoint != "" {
		if err := t.save(); err != nil {
			return err
		}
	}
	if t.opts.OnEpoch != nil {
		if err := t.opts.OnEpoch(rec); err != nil {
			return fmt.Errorf("train: epoch %d: OnEpoch: %w", rec.Epoch, err)
		}
	}
	return nil
}

// trainEpoch runs the epoch's optimizer steps and fills the record's step count and mean
// loss terms.
func (t *trainer) trainEpoch(ctx context.Context, rec *EpochRecord) error {
	var counts [2]int
	for k := range counts {
		counts[k] = len(t.data.Tasks[k].Train)
	}

	sched := newSchedule(t.tasks, counts, t.cfg.BatchSize, t.cfg.Seed, t.epoch)
	steps := sched.steps
	if t.cfg.MaxStepsPerEpoch > 0 {
		steps = min(steps, t.cfg.MaxStepsPerEpoch)
	}
	bar := newStepBar(t.opts.Progress, t.opts.Quiet, rec.Epoch, steps)
	defer bar.finish()
	t.runner.begin()
	defer func() {
		t.runner.release()
		returnMemory()
	}()

	total := 0.0
	for step := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("train: stopped before epoch %d step %d of %d: %w", rec.Epoch, step+1, steps, err)
		}
		loss, err := t.runner.run(t.epoch, step, sched.batch(step))
		if err != nil {
			return err
		}
		if err := t.opt.Step(); err != nil {
			return fmt.Errorf("train: epoch %d step %d: optimizer: %w", rec.Epoch, step+1, err)
		}
		total += loss.total
		for name, v := range loss.terms {
			rec.Loss[name] += v
		}
		bar.add()
	}

	rec.Steps = steps
	for name := range rec.Loss {
		rec.Loss[name] /= float64(steps)
	}
	rec.Loss[totalKey] = total / float64(steps)
	return nil
}

// keepBest copies the current weights and validation result as the best so far.
func (t *trainer) keepBest(valid *protocol.Result) {
	if t.best == nil {
		t.best = make([][]float32, len(t.params))
	}
	for i, p := range t.params {
		t.best[i] = append(t.best[i][:0], p.Value.Data...)
	}
	t.bestValid = valid
}

// selectionMetric returns the mean of the validation NDCG@5 of the model's tasks: the mean of
// the recommendation and search values for a joint model, the task's own value for a
// single-task model. Randomized (shuffled-order) values are used, as the protocol reports.
func selectionMetric(scopes map[string]protocol.Summary, tasks taskSet) float64 {
	sum, n := 0.0, 0
	for _, k := range tasks.kinds() {
		sum += scopes[k.String()].Randomized[selectionKey]
		n++
	}
	return sum / float64(n)
}

// logEpoch writes the epoch's record as one log line.
func (t *trainer) logEpoch(rec EpochRecord, reduced bool) {
	loss := make([]any, 0, len(rec.Loss))
	for _, name := range slices.Sorted(maps.Keys(rec.Loss)) {
		loss = append(loss, slog.Float64(name, round4(rec.Loss[name])))
	}
	t.log.Info("epoch",
		"epoch", rec.Epoch, "steps", rec.Steps,
		slog.Group("loss", loss...),
		slog.Group("valid", scopeAttrs(rec.Valid)...),
		"selection", round4(rec.Selection), "improved", rec.Improved, "best_epoch", t.early.BestEpoch(),
		"lr", rec.LR, "lr_reduced", reduced,
		"steps_per_second", round3(rec.StepsPerSecond), "seconds", round3(rec.Seconds),
		"peak_rss_mb", rec.PeakRSSBytes>>20)
	if t.stopped {
		t.log.Info("early stopping", "epoch", rec.Epoch, "best_epoch", t.early.BestEpoch(),
			"epochs_without_improvement", t.early.EpochsSinceBest())
	}
}

// scopeAttrs returns NDCG@5, NDCG@10 and HR@10 per scope as log attributes.
func scopeAttrs(scopes map[string]protocol.Summary) []any {
	var attrs []any
	for _, scope := range []string{datasets.Rec.String(), datasets.Search.String(), protocol.ScopeOverall} {
		s, ok := scopes[scope]
		if !ok {
			continue
		}
		attrs = append(attrs, slog.Group(scope,
			"ndcg@5", round4(s.Randomized["ndcg@5"]),
			"ndcg@10", round4(s.Randomized["ndcg@10"]),
			"hr@10", round4(s.Randomized["hr@10"])))
	}
	return attrs
}

func round3(x float64) float64 { return math.Round(x*1e3) / 1e3 }

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
