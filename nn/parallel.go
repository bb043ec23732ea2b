package nn

import (
	"fmt"
	"sync"
)

// ShardBounds returns the rows [lo, hi) of shard i when n rows are split into the given number
// of contiguous shards. Shard i gets rows i·n/shards up to (i+1)·n/shards, so sizes differ by
// at most one and depend only on n and shards. It panics unless 0 ≤ i < shards.
func ShardBounds(n, shards, i int) (lo, hi int) {
	if shards <= 0 || i < 0 || i >= shards {
		panic(fmt.Sprintf("nn: ShardBounds: shard %d of %d", i, shards))
	}
	return i * n / shards, (i + 1) * n / shards
}

// ParallelStep runs one data-parallel training step over a batch of n rows with one goroutine
// per tape. It resets the tapes and splits the rows into len(tapes) contiguous shards
// (ShardBounds). For each non-empty shard it calls fn on the shard's tape and runs the
// backward pass of the returned loss. Then it reduces the gradients into params with
// ReduceGrads in shard order.
//
// fn must return the mean of its loss over the rows lo..hi (plus any terms that do not depend
// on the rows, such as an L2 penalty). ParallelStep weights shard i's loss by (hi−lo)/n, both
// in the returned loss and as the seed of its backward pass, so the reduced gradient is the
// gradient of the full-batch mean loss, and row-independent terms count once in total. Terms
// that couple rows (in-batch negatives, batch statistics) see only their own shard.
//
// The loss is summed in float64 in shard order, so results are bit-identical for a fixed seed
// and number of tapes. The first error in shard order is returned, wrapped with its shard; a
// panic in fn or in an op is recovered and returned as an error. Values that fn recorded
// stay readable until the next call resets the tapes.
func ParallelStep(tapes []*Tape, params []*Param, n int, fn func(t *Tape, lo, hi int) (*Var, error)) (float64, error) {
	if len(tapes) == 0 {
		return 0, fmt.Errorf("nn: ParallelStep: no tapes")
	}
	if n <= 0 {
		return 0, fmt.Errorf("nn: ParallelStep: batch of %d rows", n)
	}
	losses := make([]float64, len(tapes))
	errs := make([]error, len(tapes))
	var wg sync.WaitGroup
	for i, t := range tapes {
		t.Reset()
		lo, hi := ShardBounds(n, len(tapes), i)
		if lo == hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			losses[i], errs[i] = runShard(t, lo, hi, n, fn)
		}()
	}
	wg.Wait()
	total := 0.0
	for i, err := range errs {
		if err != nil {
			lo, hi := ShardBounds(n, len(tapes), i)
			return 0, fmt.Errorf("nn: shard %d (rows %d to %d): %w", i, lo, hi, err)
		}
		total += losses[i]
	}
	ReduceGrads(tapes, params)
	return total, nil
}

// runShard runs fn and the weighted backward pass of one shard, turning a panic into an error.
func runShard(t *Tape, lo, hi, n int, fn func(t *Tape, lo, hi int) (*Var, error)) (loss float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	v, err := fn(t, lo, hi)
	if err != nil {
		return 0, err
	}
	if v == nil || len(v.val.Data) != 1 {
		return 0, fmt.Errorf("loss function returned no scalar loss")
	}
	weight := float64(hi-lo) / float64(n)
	t.backwardSeed(v, float32(weight))
	return weight * float64(v.val.Data[0]), nil
}
