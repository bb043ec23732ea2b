package train

import (
	"errors"
	"fmt"
	"math"
)

// Config holds the training hyperparameters. Keys are flat snake_case for experiment files;
// start from DefaultConfig and override fields, because zero values are not replaced by defaults.
type Config struct {
	// Epochs is the maximum number of training epochs.
	Epochs int `toml:"epochs" json:"epochs"`
	// BatchSize is the number of recommendation training positives per step. Each positive
	// comes with its training negatives, so a step trains on BatchSize·(1+negatives) labelled
	// rows of the task. The search batch size is ⌈search positives / steps⌉, so both tasks
	// run out together. A search-only model uses BatchSize for search.
	BatchSize int `toml:"batch_size" json:"batch_size"`
	// LR is Adam's initial learning rate.
	LR float64 `toml:"lr" json:"lr"`
	// L2 is the L2 penalty coefficient (PyTorch Adam's weight_decay) on parameters whose Decay
	// is true.
	L2 float64 `toml:"l2" json:"l2"`
	// Patience is the number of epochs without a strict improvement of the selection metric
	// after which training stops.
	Patience int `toml:"patience" json:"patience"`
	// LRPatience is the number of epochs without improvement that ReduceLROnPlateau tolerates;
	// the learning rate drops on the next bad epoch.
	LRPatience int `toml:"lr_patience" json:"lr_patience"`
	// LRFactor multiplies the learning rate on a plateau; it must be in (0, 1).
	LRFactor float64 `toml:"lr_factor" json:"lr_factor"`
	// MinLR is the lower bound of the learning rate.
	MinLR float64 `toml:"min_lr" json:"min_lr"`
	// Workers is the number of data-parallel shards per step and of evaluation goroutines.
	// Results depend on it, because shards draw their own dropout streams and their gradients
	// are summed shard by shard, so a run is reproducible for a fixed Seed and Workers.
	Workers int `toml:"workers" json:"workers"`
	// Seed derives every random stream of training: sample order and dropout masks. Training
	// negatives and evaluation candidates come from the prepared data's own seed.
	Seed uint64 `toml:"seed" json:"seed"`
	// EvalBatchSize is the number of evaluation cases scored per Model.Score call. It bounds
	// the memory of evaluation, because a call scores EvalBatchSize × (candidates per case)
	// rows. Metrics do not depend on it as long as Score scores each row independently of
	// the other rows of its batch, which the Model contract requires.
	EvalBatchSize int `toml:"eval_batch_size" json:"eval_batch_size"`
	// MaxStepsPerEpoch caps the steps of an epoch for smoke tests; 0 runs every step.
	MaxStepsPerEpoch int `toml:"max_steps_per_epoch" json:"max_steps_per_epoch"`
}

// DefaultConfig returns the settings of UniSAR's public training code (utils/Runner.py in
// github.com/TengShi-RUC/UniSAR), which DHIM follows. They are 100 epochs, batch 1024 (also
// DHIM's), Adam with lr 1e-3 and L2 3e-5 (the KuaiSAR value), and early stopping after 5
// epochs without improvement of validation NDCG@5. ReduceLROnPlateau has patience 3, min_lr
// 1e-6 and PyTorch's default factor 0.1, because UniSAR passes no factor. Workers is 1 and
// Seed is 1.
//
// Evaluation batches hold 64 cases: with the protocol's 100 candidates that is 6,400
// candidate rows per Score call, close to the 5,120 rows (1024 positives and 4 negatives
// each) of a training step, so a model's evaluation tapes stay about as large as its training
// tapes. On the default synthetic preset one DHIM Score call held about 2 GB of tape buffers
// with 512 cases and 250 MB with 64.
func DefaultConfig() Config {
	return Config{
		Epochs:        100,
		BatchSize:     1024,
		LR:            1e-3,
		L2:            3e-5,
		Patience:      5,
		LRPatience:    3,
		LRFactor:      0.1,
		MinLR:         1e-6,
		Workers:       1,
		Seed:          1,
		EvalBatchSize: 64,
	}
}

// Validate returns an error naming every invalid field with its key, value and accepted range.
func (c Config) Validate() error {
	var errs []error
	checkInt := func(ok bool, key string, value int, want string) {
		if !ok {
			errs = append(errs, fmt.Errorf("train config: %s = %d is invalid: want %s", key, value, want))
		}
	}
	checkFloat := func(ok bool, key string, value float64, want string) {
		if !ok || math.IsNaN(value) || math.IsInf(value, 0) {
			errs = append(errs, fmt.Errorf("train config: %s = %v is invalid: want %s", key, value, want))
		}
	}
	checkInt(c.Epochs >= 1, "epochs", c.Epochs, "at least 1")
	checkInt(c.BatchSize >= 1, "batch_size", c.BatchSize, "at least 1")
	checkFloat(c.LR > 0, "lr", c.LR, "a finite positive number")
	checkFloat(c.L2 >= 0, "l2", c.L2, "a finite non-negative number")
	checkInt(c.Patience >= 1, "patience", c.Patience, "at least 1")
	checkInt(c.LRPatience >= 0, "lr_patience", c.LRPatience, "0 or more")
	checkFloat(c.LRFactor > 0 && c.LRFactor < 1, "lr_factor", c.LRFactor, "a number in (0, 1)")
	checkFloat(c.MinLR >= 0 && c.MinLR <= c.LR, "min_lr", c.MinLR, "a finite number in [0, lr]")
	checkInt(c.Workers >= 1, "workers", c.Workers, "at least 1")
	checkInt(c.EvalBatchSize >= 1, "eval_batch_size", c.EvalBatchSize, "at least 1")
	checkInt(c.MaxStepsPerEpoch >= 0, "max_steps_per_epoch", c.MaxStepsPerEpoch, "0 (all steps) or more")
	return errors.Join(errs...)
}
