package train

import "github.com/srbench/srbench/experiments/protocol"

// Result is the outcome of one training run. Field names are stable JSON keys, because result
// records embed it.
type Result struct {
	// Config is the configuration the run used.
	Config Config `json:"config"`
	// Tasks lists the tasks the model trained and was evaluated on ("rec", "search").
	Tasks []string `json:"tasks"`
	// Params is the number of trainable scalars.
	Params int `json:"params"`
	// Backend names the matrix-product backend of the tapes ("gonum", "openblas").
	Backend string `json:"backend"`
	// BestEpoch is the 1-based epoch whose weights were tested, the first epoch that reached
	// the best selection metric.
	BestEpoch int `json:"best_epoch"`
	// StoppedEarly is true when the early-stopping rule ended training before Config.Epochs.
	StoppedEarly bool `json:"stopped_early"`
	// Epochs holds the learning curves, one record per epoch run.
	Epochs []EpochRecord `json:"epochs"`
	// Valid is the validation ranking of the best epoch, per-case values included.
	Valid *protocol.Result `json:"valid"`
	// Test is the test ranking with the best epoch's weights, per-case values included.
	Test *protocol.Result `json:"test"`
	// WallSeconds is the wall time of the whole run, final test included. For a resumed run it
	// counts only the time since the resume.
	WallSeconds float64 `json:"wall_seconds"`
	// PeakRSSBytes is the peak resident set size of the process at the end of the run (see
	// peakRSS for the source).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// EpochRecord is one point of the learning curves.
type EpochRecord struct {
	// Epoch counts from 1.
	Epoch int `json:"epoch"`
	// Steps is the number of optimizer steps taken; 0 for a model without parameters.
	Steps int `json:"steps"`
	// Loss maps "total" and each named loss term to its mean over the epoch's steps. Each step
	// contributes its batch-level value, the shard values weighted as in the gradient.
	Loss map[string]float64 `json:"loss"`
	// LR is the learning rate the epoch's steps used.
	LR float64 `json:"lr"`
	// Valid maps each scope ("rec", "search", "overall") to its validation metrics.
	Valid map[string]protocol.Summary `json:"valid"`
	// Selection is the model-selection metric computed from Valid (see selectionMetric).
	Selection float64 `json:"selection"`
	// Improved is true when Selection beat every earlier epoch's.
	Improved bool `json:"improved"`
	// Seconds is the epoch's wall time, training and validation together.
	Seconds float64 `json:"seconds"`
	// StepsPerSecond is Steps divided by the training time of the epoch.
	StepsPerSecond float64 `json:"steps_per_second"`
	// PeakRSSBytes is the process's peak resident set size at the end of the epoch.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}
