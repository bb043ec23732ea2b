package prep

import (
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srbench/srbench/datasets"
)

// userResult is one user's kept samples, candidates and counts before the users are merged.
type userResult struct {
	// samples holds the kept samples per scenario in stream order.
	samples [2][]Sample
	// candidates holds, per scenario, the validation then the test candidates.
	candidates [2][]int32
	interacted []int32
	report     Report
}

// Prepare forms the samples of ds, filters them, splits them leave-one-out per user and scenario,
// and draws the evaluation candidates, all as Options describes. ds must outlive the result,
// which reads histories from it. Prepare returns an error if opts or ds is invalid; a dataset
// in which no user survives the filters is valid and gives empty tasks. The result depends on
// ds and opts alone, not on opts.Workers.
func Prepare(ds *datasets.Dataset, opts Options) (*Prepared, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	start := time.Now()
	log := slog.Default().With("dataset", ds.Name)
	log.Info("preparing samples", "users", len(ds.Users), "items", len(ds.Items))

	results := make([]userResult, len(ds.Users))
	forEachUser(len(ds.Users), opts.Workers, log, func(u int) {
		results[u] = prepareUser(ds, &opts, u)
	})

	p := &Prepared{Dataset: ds, Options: opts}
	p.mergeResults(results)
	p.index.buildPositions(ds)
	p.buildQueryTable()
	log.Info("prepared samples", "kept_users", p.Report.KeptUsers, "rec_samples", p.Report.Kept[datasets.Rec],
		"search_samples", p.Report.Kept[datasets.Search], "elapsed", time.Since(start).Round(time.Millisecond))
	return p, nil
}

// forEachUser calls fn for every user index on the given number of goroutines (0: GOMAXPROCS)
// and logs progress in steps of a tenth for large datasets.
func forEachUser(n, workers int, log *slog.Logger, fn func(u int)) {
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next, done atomic.Int64
	step := max(int64(n)/10, 1)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				u := next.Add(1) - 1
				if u >= int64(n) {
					return
				}
				fn(int(u))
				if d := done.Add(1); d%step == 0 && n >= 10000 {
					log.Info("preparing users", "done", d, "total", n)
				}
			}
		})
	}
	wg.Wait()
}

// prepareUser forms, filters and splits the samples of user u and draws the user's candidates.
func prepareUser(ds *datasets.Dataset, opts *Options, u int) userResult {
	res := userResult{report: Report{Users: 1}}
	formed := formSamples(ds.Users[u].Stream, int32(u), opts.MaxClicks, &res.report)
	for k := range 2 {
		if len(formed[k]) < opts.MinSamplesPerTask {
			res.report.FewSamplesUsers = 1
			res.report.FewSamples = [2]int{len(formed[0]), len(formed[1])}
			return res
		}
	}
	interacted := userInteracted(ds.Users[u].Stream)
	if len(ds.Items)-len(interacted) < max(opts.EvalNegatives, opts.TrainNegatives) {
		res.report.FewNegativesUsers = 1
		res.report.FewNegatives = [2]int{len(formed[0]), len(formed[1])}
		return res
	}
	res.report.KeptUsers = 1
	res.report.Kept = [2]int{len(formed[0]), len(formed[1])}
	res.samples = formed
	res.interacted = interacted
	for k := range 2 {
		n := len(formed[k])
		c := make([]int32, 0, 2*opts.Candidates())
		for _, split := range []Split{Valid, Test} {
			pos := formed[k][n-2]
			if split == Test {
				pos = formed[k][n-1]
			}
			c = append(c, pos.Target)
			c = appendNegatives(c, evalSource(opts.Seed, u, uint8(k), split), interacted, len(ds.Items), opts.EvalNegatives)
		}
		res.candidates[k] = c
	}
	return res
}

// formSamples returns the samples of one stream that have a recommendation click and a search
// session (a session without clicks counts) strictly earlier in time, and counts every sample it
// forms or drops in r. Behaviours that share the sample's timestamp do not count, for the same
// reason they stay out of its history (see Prepared.History).
func formSamples(stream []datasets.Behavior, user int32, maxClicks int, r *Report) [2][]Sample {
	var out [2][]Sample
	var capacity [2]int // an upper bound on the kept samples, so the slices never regrow
	for i := range stream {
		if stream[i].Kind == datasets.Rec {
			capacity[datasets.Rec]++
		} else {
			capacity[datasets.Search] += min(len(stream[i].Clicks), maxClicks)
		}
	}
	out[datasets.Rec] = make([]Sample, 0, capacity[datasets.Rec])
	out[datasets.Search] = make([]Sample, 0, capacity[datasets.Search])
	seen, pending := [2]bool{}, [2]bool{}
	var one [1]int32
	for e, b := range stream {
		if e == 0 || b.Time != stream[e-1].Time {
			// Behaviours at earlier timestamps are now strictly earlier.
			seen[datasets.Rec] = seen[datasets.Rec] || pending[datasets.Rec]
			seen[datasets.Search] = seen[datasets.Search] || pending[datasets.Search]
		}
		r.Behaviors[b.Kind]++
		targets := b.Clicks
		if b.Kind == datasets.Rec {
			one[0] = b.Item
			targets = one[:]
		} else {
			if len(targets) == 0 {
				r.EmptySessions++
			}
			if len(targets) > maxClicks {
				r.ExtraClicks += len(targets) - maxClicks
				targets = targets[:maxClicks]
			}
		}
		for _, item := range targets {
			r.Formed[b.Kind]++
			switch {
			case !seen[datasets.Rec]:
				r.NoEarlierRec[b.Kind]++
			case !seen[datasets.Search]:
				r.NoEarlierSearch[b.Kind]++
			default:
				out[b.Kind] = append(out[b.Kind], Sample{User: user, Event: int32(e), Target: item})
			}
		}
		pending[b.Kind] = true
	}
	return out
}

// mergeResults concatenates the users' results in user order into the tasks, the interacted
// index and the report, releasing each user's result once it is copied.
func (p *Prepared) mergeResults(results []userResult) {
	n := p.Options.Candidates()
	var nInter int
	for i := range results {
		p.Report.add(&results[i].report)
		nInter += len(results[i].interacted)
	}
	users := p.Report.KeptUsers
	for k := range p.Tasks {
		t := &p.Tasks[k]
		t.Train = make([]Sample, 0, p.Report.Kept[k]-2*users)
		t.Valid = make([]Sample, 0, users)
		t.Test = make([]Sample, 0, users)
		t.ValidCandidates = make([]int32, 0, users*n)
		t.TestCandidates = make([]int32, 0, users*n)
	}
	x := &p.index
	x.interStart = make([]int64, len(results)+1)
	x.interItems = make([]int32, 0, nInter)
	for i := range results {
		r := &results[i]
		for k := range p.Tasks {
			s := r.samples[k]
			if len(s) == 0 {
				continue
			}
			t := &p.Tasks[k]
			m := len(s)
			t.Train = append(t.Train, s[:m-2]...)
			t.Valid = append(t.Valid, s[m-2])
			t.Test = append(t.Test, s[m-1])
			t.ValidCandidates = append(t.ValidCandidates, r.candidates[k][:n]...)
			t.TestCandidates = append(t.TestCandidates, r.candidates[k][n:]...)
		}
		x.interItems = append(x.interItems, r.interacted...)
		x.interStart[i+1] = int64(len(x.interItems))
		*r = userResult{}
	}
}

// buildQueryTable fills QueryWords and QueryLen from the dataset's queries.
func (p *Prepared) buildQueryTable() {
	width := p.Options.MaxQueryWords
	queries := p.Dataset.Queries
	p.QueryWords = make([]int32, len(queries)*width)
	p.QueryLen = make([]int32, len(queries))
	for q, query := range queries {
		row := p.QueryWords[q*width : (q+1)*width]
		n := copy(row, query.Words)
		for i := n; i < width; i++ {
			row[i] = -1
		}
		p.QueryLen[q] = int32(n)
	}
}
