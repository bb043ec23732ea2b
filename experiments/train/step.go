package train

import (
	"fmt"
	"math"
	"sync"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// totalKey is the key of the total loss in EpochRecord.Loss, so no loss term may use it.
const totalKey = "total"

// shardWorker runs the forward and backward pass of one shard of a step on its own tape.
type shardWorker struct {
	index    int
	tape     *nn.Tape
	builders [2]*prep.BatchBuilder
	capacity [2]int

	// Results of the last run: the shard's weighted loss and terms.
	loss  float64
	terms map[string]float64
	err   error
}

// stepRunner splits each step's batch into Config.Workers shards, runs them in parallel and
// reduces their gradients into Param.Grad in shard order.
//
// Each worker's tape keeps the buffers of a whole forward and backward pass for reuse by the
// next step, gigabytes for a large model. The tapes therefore live for one epoch only: begin
// creates them and release drops them, so that the buffers are freed before validation runs
// instead of being held next to the evaluation tapes.
type stepRunner struct {
	model   Model
	data    *prep.Prepared
	samples [2][]prep.Sample
	params  []*nn.Param
	seed    uint64
	workers []*shardWorker
	tapes   []*nn.Tape // nil outside an epoch
}

func newStepRunner(m Model, data *prep.Prepared, params []*nn.Param, cfg Config) *stepRunner {
	r := &stepRunner{model: m, data: data, params: params, seed: cfg.Seed}
	for k := range r.samples {
		r.samples[k] = data.Tasks[k].Train
	}
	for w := range cfg.Workers {
		r.workers = append(r.workers, &shardWorker{index: w, terms: make(map[string]float64)})
	}
	return r
}

// begin gives every worker a fresh training tape. A tape starts with an empty buffer pool, so
// the first step of an epoch allocates what later steps reuse.
func (r *stepRunner) begin() {
	r.tapes = r.tapes[:0]
	for _, sw := range r.workers {
		sw.tape = nn.NewTape(0)
		sw.tape.Train = true
		r.tapes = append(r.tapes, sw.tape)
	}
}

// release drops the workers' tapes and with them every buffer of the epoch's steps. Param.Grad
// keeps the last step's reduced gradient.
func (r *stepRunner) release() {
	for _, sw := range r.workers {
		sw.tape = nil
	}
	clear(r.tapes)
	r.tapes = r.tapes[:0]
}

// stepLoss is the batch-level loss of one step: the total and each term, shard values
// weighted by their share of the step's rows.
type stepLoss struct {
	total float64
	terms map[string]float64
}

// run computes the gradient of one step's batch into Param.Grad and returns its loss. Shard w
// gets the w-th of len(workers) nearly equal contiguous parts of each task's batch and the
// dropout stream (seed, epoch, step, w).
//
// NOTE: a shard's loss is weighted by its share of all the step's rows. When a task's rows do
// not split evenly, a shard's share of that task differs from this weight by under one row in
// the task's batch, so the gradient differs slightly from the single-worker one.
func (r *stepRunner) run(epoch, step int, batch [2][]int) (stepLoss, error) {
	rows := len(batch[datasets.Rec]) + len(batch[datasets.Search])
	n := len(r.workers)
	var shards [][2][]int
	for w := range n {
		var sh [2][]int
		for k, idx := range batch {
			lo, hi := nn.ShardBounds(len(idx), n, w)
			sh[k] = idx[lo:hi]
		}
		shards = append(shards, sh)
	}
	if n == 1 {
		r.workers[0].run(r, epoch, step, shards[0], rows)
	} else {
		var wg sync.WaitGroup
		for w, sw := range r.workers {
			wg.Go(func() { sw.run(r, epoch, step, shards[w], rows) })
		}
		wg.Wait()
	}
	out := stepLoss{terms: make(map[string]float64)}
	for _, sw := range r.workers {
		if sw.err != nil {
			return out, fmt.Errorf("train: epoch %d step %d shard %d: %w", epoch+1, step+1, sw.index, sw.err)
		}
		out.total += sw.loss
		for name, v := range sw.terms {
			out.terms[name] += v
		}
	}
	if math.IsNaN(out.total) || math.IsInf(out.total, 0) {
		return out, fmt.Errorf("train: epoch %d step %d: loss is %v; lower lr or check the model for overflow", epoch+1, step+1, out.total)
	}
	nn.ReduceGrads(r.tapes, r.params)
	return out, nil
}

// run computes one shard's loss and gradient on the worker's tape. rows is the step's total
// row count, which sets the shard's weight. A panic in the model or in an op becomes the
// worker's error.
func (sw *shardWorker) run(r *stepRunner, epoch, step int, shard [2][]int, rows int) {
	sw.loss, sw.err = 0, nil
	clear(sw.terms)
	defer func() {
		if p := recover(); p != nil {
			sw.err = fmt.Errorf("panic in the model's loss: %v", p)
		}
	}()
	sw.tape.Reset()
	sw.tape.Seed(deriveSeed(r.seed, streamDropout, uint64(epoch), uint64(step), uint64(sw.index)))
	shardRows := len(shard[datasets.Rec]) + len(shard[datasets.Search])
	if shardRows == 0 {
		return
	}

	var batches [2]*prep.Batch
	for k, idx := range shard {
		if len(idx) == 0 {
			continue
		}
		if sw.capacity[k] < len(idx) {
			// Shard sizes differ by at most one within an epoch, so this allocates rarely.
			sw.builders[k] = prep.NewBatchBuilder(r.data, len(idx))
			sw.capacity[k] = len(idx)
		}
		batches[k] = sw.builders[k].BuildTrain(r.samples[k], idx, epoch)
	}

	total, terms, err := r.model.Loss(sw.tape, batches[datasets.Rec], batches[datasets.Search])
	if err != nil {
		sw.err = err
		return
	}
	if err := checkLoss(sw.tape, total); err != nil {
		sw.err = err
		return
	}

	weight := float64(shardRows) / float64(rows)
	sw.loss = weight * float64(total.Item())
	for name, v := range terms {
		if name == totalKey {
			sw.err = fmt.Errorf("loss term %q uses the name reserved for the total loss; rename the term", name)
			return
		}
		if v == nil || len(v.Data()) != 1 {
			sw.err = fmt.Errorf("loss term %q is nil or not a scalar", name)
			return
		}
		sw.terms[name] = weight * float64(v.Item())
	}
	if total.RequiresGrad() {
		sw.tape.Backward(nn.Scale(total, float32(weight)))
	}
}

// checkLoss rejects a total loss that Backward cannot use.
func checkLoss(t *nn.Tape, total *nn.Var) error {
	switch {
	case total == nil:
		return fmt.Errorf("model returned a nil loss")
	case total.Tape() != t:
		return fmt.Errorf("model returned a loss recorded on another tape")
	case len(total.Data()) != 1:
		return fmt.Errorf("model returned a loss of shape %v; it must have one element", total.Shape())
	}
	return nil
}
