// Package train fits a model on prepared data and evaluates it under the shared evaluation
// protocol.
//
// Each epoch runs the joint schedule of recommendation and search batches as data-parallel
// steps over a fixed number of workers, then validates. Model selection uses early stopping,
// the learning rate drops on a plateau, and the best epoch's weights are tested at the end.
// Checkpoints after each epoch let an interrupted run resume to the same result.
//
// Models never import this package. Any type whose methods match Model can be trained, because
// the interface uses only types from nn, datasets and datasets/prep.
//
// Runs are reproducible: the same Config (seed and worker count included) on the same prepared
// data gives bit-identical weights and metrics. Every random stream (the epoch's sample order,
// dropout masks) is derived from (seed, epoch, step, worker) and nothing else, and worker
// gradients are summed in worker order.
//
// Memory: the training tapes live for one epoch and the evaluation tapes for one ranking, and
// the trainer returns freed memory to the OS between the two, so a run's peak is that of its
// larger phase rather than their sum. Config.EvalBatchSize bounds the evaluation phase. As a
// backstop on a shared machine, the GOMEMLIMIT environment variable (read by the Go runtime,
// see runtime/debug.SetMemoryLimit) makes the collector run more often near the limit; it
// cannot shrink the live tapes, so a limit below a step's own need only costs time.
package train
