package train

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// Options holds what a run needs besides the hyperparameters: where to log and report
// progress, and where to keep a checkpoint. None of it changes the result.
type Options struct {
	// Logger receives the per-epoch records; nil means slog.Default().
	Logger *slog.Logger
	// Progress receives the step progress bar while an epoch runs; nil means os.Stderr. The
	// bar is shown only when Progress is a terminal and Quiet is false.
	Progress io.Writer
	// Quiet hides the progress bar.
	Quiet bool
	// Checkpoint is a file path; when set, the trainer saves the full training state there
	// (atomically) after every epoch. Empty means no checkpoints.
	Checkpoint string
	// Resume continues the run saved in Checkpoint, which must exist and must have been
	// written with the same Config, model and data. The resumed run ends with the Result an
	// uninterrupted run would give, except for wall times and memory figures.
	Resume bool
	// OnEpoch, when set, is called after each epoch (and its checkpoint) with the epoch's
	// record. Returning an error stops training with that error.
	OnEpoch func(EpochRecord) error
}

// trainer is the state of one run.
type trainer struct {
	model  Model
	data   *prep.Prepared
	cfg    Config
	opts   Options
	log    *slog.Logger
	tasks  taskSet
	params []*nn.Param

	runner  *stepRunner
	eval    *evaluator
	opt     *optim.Adam // nil for a model without parameters
	plateau *optim.Plateau
	early   *optim.EarlyStopping

	epoch     int // completed epochs
	stopped   bool
	records   []EpochRecord
	best      [][]float32
	bestValid *protocol.Result
}

// Train fits m on data's training split, selects the epoch with the best validation metric
// and returns its test result. On success the model holds the best epoch's weights.
//
// It returns an error for an invalid configuration, a model or data the trainer cannot use, a
// failing or panicking model call, a non-finite loss, or a checkpoint that cannot be written
// or resumed. It also stops with an error wrapping ctx.Err() when ctx is done, which it checks
// before every step and every evaluation batch.
func Train(ctx context.Context, m Model, data *prep.Prepared, cfg Config, opts Options) (*Result, error) {
	start := time.Now()
	t, err := newTrainer(m, data, cfg, opts)
	if err != nil {
		return nil, err
	}
	if opts.Resume {
		if err := t.resume(); err != nil {
			return nil, err
		}
	}
	t.logStart()
	for !t.done() {
		if err := t.runEpoch(ctx); err != nil {
			return nil, err
		}
	}
	return t.finish(ctx, start)
}

// newTrainer validates the inputs and sets up the optimizer, schedules and workers.
func newTrainer(m Model, data *prep.Prepared, cfg Config, opts Options) (*trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil || data == nil {
		return nil, fmt.Errorf("train: model and prepared data must not be nil")
	}
	if opts.Resume && opts.Checkpoint == "" {
		return nil, fmt.Errorf("train: Options.Resume is set but Options.Checkpoint is empty; give the checkpoint path to resume from")
	}
	tasks, err := modelTasks(m)
	if err != nil {
		return nil, err
	}
	if err := checkData(data, tasks); err != nil {
		return nil, err
	}

	t := &trainer{model: m, data: data, cfg: cfg, opts: opts, tasks: tasks, params: m.Params(), log: opts.Logger}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.opts.Progress == nil {
		t.opts.Progress = os.Stderr
	}

	if t.early, err = optim.NewEarlyStopping(cfg.Patience); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if len(t.params) > 0 {
		if err := t.newOptimizer(); err != nil {
			return nil, err
		}
	}
	t.runner = newStepRunner(m, data, t.params, cfg)
	t.eval = newEvaluator(m, data, tasks, cfg, t.log)
	return t, nil
}

// newOptimizer creates Adam with the L2 penalty and UniSAR's plateau schedule.
func (t *trainer) newOptimizer() error {
	adamCfg := optim.DefaultAdamConfig()
	adamCfg.LR, adamCfg.WeightDecay = t.cfg.LR, t.cfg.L2
	opt, err := optim.NewAdam(t.params, adamCfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	plateauCfg := optim.UniSARPlateauConfig()
	plateauCfg.Patience, plateauCfg.Factor, plateauCfg.MinLR = t.cfg.LRPatience, t.cfg.LRFactor, t.cfg.MinLR
	plateau, err := optim.NewPlateau(opt, plateauCfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	t.opt, t.plateau = opt, plateau
	return nil
}

// checkData rejects prepared data without training samples or evaluation cases for a task
// the model trains.
func checkData(data *prep.Prepared, tasks taskSet) error {
	for _, k := range tasks.kinds() {
		task := &data.Tasks[k]
		for _, split := range []prep.Split{prep.Train, prep.Valid, prep.Test} {
			if len(task.Samples(split)) == 0 {
				return fmt.Errorf("train: dataset %s has no %s samples in the %s split; the model needs them (check the preprocessing report)",
					data.Dataset.Name, k, split)
			}
		}
	}
	return nil
}

// done reports whether training is over: early stopping fired, every epoch ran, or the model
// has no parameters and its single fitting epoch ran.
func (t *trainer) done() bool {
	return t.stopped || t.epoch >= t.cfg.Epochs || (t.opt == nil && t.epoch >= 1)
}

func (t *trainer) logStart() {
	t.log.Info("training", "tasks", t.tasks.names(), "params", optim.CountParams(t.params),
		"rec_train", len(t.data.Tasks[datasets.Rec].Train), "search_train", len(t.data.Tasks[datasets.Search].Train),
		"epochs", t.cfg.Epochs, "batch_size", t.cfg.BatchSize, "workers", t.cfg.Workers, "seed", t.cfg.Seed,
		"backend", nn.DefaultBackend().Name(), "start_epoch", t.epoch+1)
}

// finish restores the best weights, tests them and assembles the Result.
func (t *trainer) finish(ctx context.Context, start time.Time) (*Result, error) {
	if t.best != nil {
		for i, p := range t.params {
			copy(p.Value.Data, t.best[i])
		}
	}
	test, err := t.eval.rank(ctx, prep.Test)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Config:       t.cfg,
		Tasks:        t.tasks.names(),
		Params:       optim.CountParams(t.params),
		Backend:      nn.DefaultBackend().Name(),
		BestEpoch:    t.early.BestEpoch(),
		StoppedEarly: t.stopped,
		Epochs:       t.records,
		Valid:        t.bestValid,
		Test:         test,
		WallSeconds:  time.Since(start).Seconds(),
		PeakRSSBytes: peakRSS(),
	}
	t.log.Info("tested best epoch", "best_epoch", res.BestEpoch, "epochs", len(res.Epochs),
		"stopped_early", res.StoppedEarly, slog.Group("test", scopeAttrs(test.Scopes)...),
		"wall_seconds", round3(res.WallSeconds), "peak_rss_mb", res.PeakRSSBytes>>20)
	return res, nil
}
