// Package runner expands an experiment into runs and executes them: one run per model,
// dataset, seed and sweep point, each with a stable id derived from its resolved
// configuration, one result record per run.
//
// Runs execute on a local pool of Jobs goroutines. Each run's result depends only on its
// configuration, never on Jobs or on the order of execution. A run whose record exists with
// status done is skipped, an interrupted run resumes from its last epoch checkpoint, and a
// failed run is recorded as failed without stopping the others. Runs of the same dataset and
// seed share one prepared dataset.
package runner
