package protocol

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Rank scores every case with scorer and returns each positive's rank with the metrics per task
// and over all cases.
//
// The positive's rank is the number of candidates scored strictly above it plus the number of
// candidates that tie its score and sit before it in the scored order (see CandidateOrder). A
// NaN score, or a score the Scorer left unset, fails the whole ranking with an error naming the
// case. Invalid cases or configuration are rejected before any scoring. Rank stops early when ctx
// is done. For a Scorer that scores each case independently of its batch, the result is the same
// for every BatchSize and Workers value. So is the error returned, unless ctx was canceled.
func Rank(ctx context.Context, cases []Case, scorer Scorer, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := validateCases(cases, cfg.Candidates); err != nil {
		return nil, err
	}

	start := time.Now()
	cfg.Logger.Debug("ranking cases", "cases", len(cases), "candidates", cfg.Candidates,
		"order", cfg.Order.String(), "seed", cfg.Seed, "batch_size", cfg.BatchSize, "workers", cfg.Workers)
	r := &ranker{
		cases:    cases,
		scorer:   scorer,
		cfg:      cfg,
		results:  make([]CaseResult, len(cases)),
		progress: newProgress(cfg, len(cases), start),
	}
	if err := r.run(ctx); err != nil {
		return nil, err
	}

	res := newResult(cfg, r.results)
	overall := res.Scopes[ScopeOverall]
	cfg.Logger.Info("ranked cases", "cases", len(cases), "tied_cases", overall.TiedCases,
		"seconds", time.Since(start).Seconds(), "order", cfg.Order.String(), "seed", cfg.Seed)
	return res, nil
}

// ranker holds the state of one Rank call. Workers write results at disjoint indices.
type ranker struct {
	cases    []Case
	scorer   Scorer
	cfg      Config
	results  []CaseResult
	progress *progress
}

// batchError is the first error of one worker, with the batch it came from.
type batchError struct {
	batch int
	err   error
}

// run ranks all batches on cfg.Workers goroutines. Batches are handed out in increasing order,
// so every batch before the lowest failing one is ranked, and the error returned is that batch's
// whatever the worker count.
func (r *ranker) run(ctx context.Context) error {
	batches := (len(r.cases) + r.cfg.BatchSize - 1) / r.cfg.BatchSize
	workers := min(r.cfg.Workers, batches)
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]*batchError, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			errs[w] = r.work(ctx, &next, &failed, batches)
		})
	}
	wg.Wait()

	var first *batchError
	for _, e := range errs {
		if e != nil && (first == nil || e.batch < first.batch) {
			first = e
		}
	}
	if first != nil {
		return first.err
	}
	return nil
}

// work ranks batches until none is left or some worker has failed.
func (r *ranker) work(ctx context.Context, next *atomic.Int64, failed *atomic.Bool, batches int) *batchError {
	buf := newBatchBuffers(r.cfg.BatchSize, r.cfg.Candidates)
	for !failed.Load() {
		b := int(next.Add(1) - 1)
		if b >= batches {
			return nil
		}
		if err := ctx.Err(); err != nil {
			failed.Store(true)
			return &batchError{b, fmt.Errorf("protocol: ranking stopped before batch %d of %d: %w", b+1, batches, err)}
		}
		n, err := r.rankBatch(b, buf)
		if err != nil {
			failed.Store(true)
			return &batchError{b, err}
		}
		r.progress.add(n)
	}
	return nil
}

// batchBuffers holds one worker's buffers, reused for every batch it ranks.
type batchBuffers struct {
	batch     []Case
	items     []int32
	scores    [][]float32
	flat      []float32
	positives []int
}

func newBatchBuffers(batchSize, candidates int) *batchBuffers {
	return &batchBuffers{
		batch:     make([]Case, batchSize),
		items:     make([]int32, batchSize*candidates),
		scores:    make([][]float32, batchSize),
		flat:      make([]float32, batchSize*candidates),
		positives: make([]int, batchSize),
	}
}

// rankBatch orders, scores and ranks batch b and returns the number of cases in it.
func (r *ranker) rankBatch(b int, buf *batchBuffers) (int, error) {
	lo := b * r.cfg.BatchSize
	hi := min(lo+r.cfg.BatchSize, len(r.cases))
	n := hi - lo
	for slot := range n {
		r.prepare(slot, r.cases[lo+slot], buf)
	}

	if err := r.scorer.Score(buf.batch[:n], buf.scores[:n]); err != nil {
		first := r.cases[lo]
		return 0, fmt.Errorf("protocol: scoring cases[%d:%d] (first: %s): %w", lo, hi, caseKey{first.Task, first.ID}, err)
	}

	for slot := range n {
		c := r.cases[lo+slot]
		res, err := rankPositive(buf.batch[slot].Candidates, buf.scores[slot], buf.positives[slot])
		if err != nil {
			return 0, fmt.Errorf("protocol: cases[%d] (%s): %w", lo+slot, caseKey{c.Task, c.ID}, err)
		}
		res.Task, res.ID = c.Task, c.ID
		r.results[lo+slot] = res
	}
	return n, nil
}

// prepare copies case c into batch slot slot, in scoring order, and fills its scores with NaN.
func (r *ranker) prepare(slot int, c Case, buf *batchBuffers) {
	width := r.cfg.Candidates
	lo, hi := slot*width, (slot+1)*width
	items := buf.items[lo:hi:hi]
	copy(items, c.Candidates)
	positive := 0
	if r.cfg.Order == Shuffled {
		stream := newCaseStream(r.cfg.Seed, c.Task, c.ID)
		positive = shuffleCandidates(items, &stream)
	}
	buf.batch[slot] = Case{Task: c.Task, ID: c.ID, Candidates: items}
	buf.positives[slot] = positive

	scores := buf.flat[lo:hi:hi]
	nan := float32(math.NaN())
	for j := range scores {
		scores[j] = nan
	}
	buf.scores[slot] = scores
}

// rankPositive counts the candidates scored above the positive and those tying it, and returns
// the rank with ties before the positive counted against it. Task and ID are left for the caller.
func rankPositive(items []int32, scores []float32, positive int) (CaseResult, error) {
	if len(scores) != len(items) {
		return CaseResult{}, fmt.Errorf("invalid scores: the scorer replaced scores[i] with a slice of length %d for %d candidates; write into scores[i] in place", len(scores), len(items))
	}
	p := scores[positive]
	var res CaseResult
	tiesBefore := 0
	for j, s := range scores {
		switch {
		case s != s:
			return CaseResult{}, fmt.Errorf("candidate %d (item %d, positive: %t) has score NaN; the scorer produced NaN or left the score unset",
				j, items[j], j == positive)
		case s > p:
			res.Greater++
		case s == p && j != positive:
			res.Ties++
			if j < positive {
				tiesBefore++
			}
		}
	}
	res.Rank = res.Greater + tiesBefore
	return res, nil
}

// progress logs how many cases are ranked, at most once per progressInterval.
type progress struct {
	cfg     Config
	total   int
	mu      sync.Mutex
	done    int
	lastLog time.Time
}

// progressInterval is the minimum time between two progress records.
const progressInterval = 10 * time.Second

func newProgress(cfg Config, total int, start time.Time) *progress {
	return &progress{cfg: cfg, total: total, lastLog: start}
}

func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	now := time.Now()
	if p.done < p.total && now.Sub(p.lastLog) >= progressInterval {
		p.lastLog = now
		p.cfg.Logger.Info("ranking progress", "done", p.done, "total", p.total,
			"percent", math.Round(1000*float64(p.done)/float64(p.total))/10)
	}
}
