package train

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/nn"
)

// evaluator ranks a split's cases with the model through the protocol. Its scorer is safe for
// concurrent use: each Score call borrows one of Workers scoring slots, each with its own tape
// and batch builder.
type evaluator struct {
	model Model
	data  *prep.Prepared
	tasks taskSet
	cfg   Config
	log   *slog.Logger
	slots chan *scoreSlot
}

// scoreSlot is the per-goroutine state of scoring.
type scoreSlot struct {
	tape       *nn.Tape
	builder    *prep.BatchBuilder
	samples    []prep.Sample
	candidates [][]int32
}

func newEvaluator(m Model, data *prep.Prepared, tasks taskSet, cfg Config, log *slog.Logger) *evaluator {
	e := &evaluator{model: m, data: data, tasks: tasks, cfg: cfg, log: log, slots: make(chan *scoreSlot, cfg.Workers)}
	for range cfg.Workers {
		e.slots <- &scoreSlot{
			tape:       nn.NewTape(0),
			builder:    prep.NewBatchBuilder(data, cfg.EvalBatchSize),
			samples:    make([]prep.Sample, 0, cfg.EvalBatchSize),
			candidates: make([][]int32, 0, cfg.EvalBatchSize),
		}
	}
	return e
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
func (e *evaluator) rank(ctx context.Context, split prep.Split) (*protocol.Result, error) {
	cases := e.cases(split)
	res, err := protocol.Rank(ctx, cases, splitScorer{e, split}, protocol.Config{
		Seed:       e.cfg.Seed,
		Order:      protocol.Shuffled,
		BatchSize:  e.cfg.EvalBatchSize,
		Workers:    e.cfg.Workers,
		Candidates: e.data.Options.Candidates(),
		Logger:     e.log,
	})
	if err != nil {
		return nil, fmt.Errorf("train: evaluating the %s split: %w", split, err)
	}
	return res, nil
}

// splitScorer implements protocol.Scorer for the cases of one split.
type splitScorer struct {
	e     *evaluator
	split prep.Split
}

// Score builds the batch of the cases' samples and calls Model.Score with the candidates in
// the order the protocol gives them.
func (s splitScorer) Score(batch []protocol.Case, scores [][]float32) error {
	e := s.e
	slot := <-e.slots
	defer func() { e.slots <- slot }()
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
