package train

import (
	"math/rand/v2"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/nn"
)

// schedule is one epoch's batching, UniSAR's joint schedule: the recommendation samples are
// cut into batches of BatchSize and the search samples into as many batches, so both run out
// together. A model that trains only search gets batches of BatchSize search samples.
type schedule struct {
	steps int
	// order holds each trained task's sample indices in this epoch's shuffled order; nil for
	// a task the model does not train.
	order [2][]int
	// width is the batch size of each trained task; the last rec batch may be shorter and
	// joint search batches are spread evenly (see batch).
	width [2]int
	joint bool
}

// newSchedule shuffles the training samples of the trained tasks with streams derived from
// (seed, epoch, task) and fixes the steps. counts holds the training sample count per task;
// a trained task must have at least one sample.
func newSchedule(tasks taskSet, counts [2]int, batchSize int, seed uint64, epoch int) *schedule {
	s := &schedule{joint: tasks[datasets.Rec] && tasks[datasets.Search]}
	streams := [2]uint64{streamOrderRec, streamOrderSearch}
	for _, k := range tasks.kinds() {
		order := make([]int, counts[k])
		for i := range order {
			order[i] = i
		}
		rng := rand.New(rand.NewPCG(deriveSeed(seed, streams[k], uint64(epoch)), 0))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		s.order[k] = order
	}
	lead := datasets.Rec
	if !tasks[datasets.Rec] {
		lead = datasets.Search
	}
	s.steps = ceilDiv(counts[lead], batchSize)
	s.width[lead] = batchSize
	if s.joint {
		s.width[datasets.Search] = ceilDiv(counts[datasets.Search], s.steps)
	}
	return s
}

// batch returns the sample indices of the given step for each task. A slice is empty when
// the task is not trained or has no sample left for the step. Joint search batches cover
// [⌊step·n/steps⌋, ⌊(step+1)·n/steps⌋), so their sizes are ⌊n/steps⌋ or ⌈n/steps⌉. A step
// gets no search sample only when there are fewer search samples than steps.
func (s *schedule) batch(step int) [2][]int {
	var out [2][]int
	for k, order := range s.order {
		if order == nil {
			continue
		}
		if s.joint && datasets.Kind(k) == datasets.Search {
			lo, hi := nn.ShardBounds(len(order), s.steps, step)
			out[k] = order[lo:hi]
			continue
		}
		lo := min(step*s.width[k], len(order))
		hi := min(lo+s.width[k], len(order))
		out[k] = order[lo:hi]
	}
	return out
}

func ceilDiv(a, b int) int {
	return (a + b - 1) / b
}
