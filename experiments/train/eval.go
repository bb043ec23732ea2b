package train

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/nn"
)

// evaluator ranks a split's cases with the model through the protocol. Each rank call
// creates Workers scoring slots, each with its own tape and batch builder, and drops them when
// it returns, so that their buffers are not held while training runs.
type evaluator struct {
	model Model
	data  *prep.Prepared
	tasks taskSet
	cfg   Config
	log   *slog.Logger
}

// scoreSlot is the per-goroutine state of scoring.
type scoreSlot struct {
	tape       *nn.Tape
	builder    *prep.BatchBuilder
	samples    []prep.Sample
	candidates [][]int32
}

func newEvaluator(m Model, data *prep.Prepared, tasks taskSet, cfg Config, log *slog.Logger) *evaluator {
	return &evaluator{model: m, data: data, tasks: tasks, cfg: cfg, log: log}
}

// newSlots returns a channel holding Config.Workers fresh scoring slots.
func (e *evaluator) newSlots() chan *scoreSlot {
	slots := make(chan *scoreSlot, e.cfg.Workers)
	for range e.cfg.Workers {
		slots <- &scoreSlot{
			tape:       nn.NewTape(0),
			builder:    prep.NewBatchBuilder(e.data, e.cfg.EvalBatchSize),
			samples:    make([]prep.Sample, 0, e.cfg.EvalBatchSize),
			candidates: make([][]int32, 0, e.cfg.EvalBatchSize),
		}
	}
	return slots
}

// cases returns the cases of split for the model's tasks: rec cases first, then search, each
// with its index in the task's split as ID and its stored candidates (positive first).
func (e *evaluator) cases(split prep.Split) []protocol.Case {
	var out []protocol.Case
	for _, k := range e.tasks.kinds() {
		for i := range e.data.Tasks[k].Samples(split) {
			out = append(out, protocol.Case{Task: k, ID: int64(i), Candidates: e.data.Candidates(k, split, i)})
		}
	}
	return out
}

// rank ranks every case of split. Each case's candidates are shuffled by a stream seeded with
// (Config.Seed, task, case id), so every model trained with one seed ranks the same orders.
// The scoring tapes are freed and their memory returned to the OS before rank returns.
func (e *evaluator) rank(ctx context.Context, split prep.Split) (*protocol.Result, error) {
	res, err := e.rankWithSlots(ctx, split)
	returnMemory()
	if err != nil {
		return nil, fmt.Errorf("train: evaluating the %s split: %w", split, err)
	}
	return res, nil
}

// rankWithSlots runs the protocol on split with fresh scoring slots, which become garbage
// when it returns.
func (e *evaluator) rankWithSlots(ctx context.Context, split prep.Split) (*protocol.Result, error) {
	scorer := splitScorer{e: e, split: split, slots: e.newSlots()}
	return protocol.Rank(ctx, e.cases(split), scorer, protocol.Config{
		Seed:       e.cfg.Seed,
		Order:      protocol.Shuffled,
		BatchSize:  e.cfg.EvalBatchSize,
		Workers:    e.cfg.Workers,
		Candidates: e.data.Options.Candidates(),
		Logger:     e.log,
	})
}

// splitScorer implements protocol.Scorer for the cases of one split.
type splitScorer struct {
	e     *evaluator
	split prep.Split
	slots chan *scoreSlot
}

// Score builds the batch of the cases' samples and calls Model.Score with the candidates in
// the order the protocol gives them.
func (s splitScorer) Score(batch []protocol.Case, scores [][]float32) error {
	e := s.e
	slot := <-s.slots
	defer func() { s.slots <- slot }()
	slot.samples = slot.samples[:0]
	slot.candidates = slot.candidates[:0]
	for _, c := range batch {
		split := e.data.Tasks[c.Task].Samples(s.split)
		if c.ID < 0 || c.ID >= int64(len(split)) {
			return fmt.Errorf("train: %s case %d is outside the %d cases of the %s split", c.Task, c.ID, len(split), s.split)
		}
		slot.samples = append(slot.samples, split[c.ID])
		slot.candidates = append(slot.candidates, c.Candidates)
	}
	b := slot.builder.Build(slot.samples, nil)
	slot.tape.Reset()
	defer slot.tape.Reset()
	if err := e.model.Score(slot.tape, b, slot.candidates, scores); err != nil {
		return fmt.Errorf("model scoring: %w", err)
	}
	return nil
}
