package protocol

import (
	"fmt"
	"log/slog"
)

// Defaults applied by Rank to zero fields of Config.
const (
	// DefaultBatchSize is the number of cases per Scorer call.
	DefaultBatchSize = 256
	// DefaultCandidates is the candidate count per case: the positive and 99 negatives drawn
	// from items the user never interacted with.
	DefaultCandidates = 100
)

// CandidateOrder is the order in which a case's candidates are scored and tied scores resolved.
type CandidateOrder uint8

const (
	// Shuffled shuffles each case's candidates with a random stream seeded by (Config.Seed,
	// Case.Task, Case.ID) before scoring. A tied candidate placed before the positive counts
	// against it, so ties never favour the positive. This is the evaluation protocol.
	Shuffled CandidateOrder = iota
	// InputOrder scores the candidates as stored, positive first, and lets the positive win every
	// tie. It overstates the metrics of any scorer that produces ties, and exists only to measure
	// that bias.
	InputOrder
)

// String returns "shuffled" or "input-order".
func (o CandidateOrder) String() string {
	switch o {
	case Shuffled:
		return "shuffled"
	case InputOrder:
		return "input-order"
	}
	return fmt.Sprintf("CandidateOrder(%d)", uint8(o))
}

// Config sets how Rank ranks cases. The zero value is valid: zero fields take the defaults
// stated on each field.
type Config struct {
	// Seed selects the shuffle of every case. The same seed gives the same shuffles whatever the
	// batch size or worker count.
	Seed uint64
	// Order is Shuffled (the default) or InputOrder.
	Order CandidateOrder
	// BatchSize is the number of cases per Scorer call; 0 means DefaultBatchSize.
	BatchSize int
	// Workers is the number of goroutines calling the Scorer at once; 0 means 1. Above 1 the
	// Scorer must be safe for concurrent use. The per-case results and metrics do not depend on
	// the worker count.
	Workers int
	// Candidates is the number of candidates every case must have; 0 means DefaultCandidates.
	Candidates int
	// Metrics lists the metrics to compute; nil means DefaultMetrics().
	Metrics []Metric
	// Logger receives start, progress and end records; nil means slog.Default().
	Logger *slog.Logger
}

// withDefaults returns a copy of c with the defaults applied and the metric list copied.
func (c Config) withDefaults() Config {
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.Workers == 0 {
		c.Workers = 1
	}
	if c.Candidates == 0 {
		c.Candidates = DefaultCandidates
	}
	if c.Metrics == nil {
		c.Metrics = DefaultMetrics()
	} else {
		c.Metrics = append([]Metric(nil), c.Metrics...)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func (c Config) validate() error {
	if c.Order != Shuffled && c.Order != InputOrder {
		return fmt.Errorf("protocol: invalid Config.Order %s; use Shuffled or InputOrder", c.Order)
	}
	if c.BatchSize < 1 {
		return fmt.Errorf("protocol: invalid Config.BatchSize %d; use a positive count or 0 for %d", c.BatchSize, DefaultBatchSize)
	}
	if c.Workers < 1 {
		return fmt.Errorf("protocol: invalid Config.Workers %d; use a positive count or 0 for 1", c.Workers)
	}
	if c.Candidates < 1 {
		return fmt.Errorf("protocol: invalid Config.Candidates %d; use a positive count or 0 for %d", c.Candidates, DefaultCandidates)
	}
	if err := validateMetrics(c.Metrics); err != nil {
		return fmt.Errorf("protocol: Config.Metrics: %w", err)
	}
	return nil
}
