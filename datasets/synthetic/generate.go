// Package synthetic generates the harness's embedded default dataset: a deterministic stream of
// recommendation clicks and search sessions with KuaiSAR-like or Amazon-like shape, in which the
// structure that dual-horizon S&R models exploit is planted with a strength knob per effect.
//
// Five effects are planted: long-tailed item popularity, stable long-term preferences over top
// categories, short-term bursts on a current-interest category that drifts, and queries made of
// the words of the category being searched. The fifth is transfer between scenarios: a search
// on a category raises the chance of recommendation clicks on it soon after, and the reverse. Each has a knob
// in Config; 0 turns it off, so an experiment can show which model exploits which effect.
package synthetic

import (
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srbench/srbench/datasets"
)

// Generate builds the dataset that cfg describes. The same Config always yields an identical
// dataset, whatever the number of CPUs: every user draws from a random source seeded by
// (Seed, user index) alone. It returns an error, naming the field, if cfg is invalid.
func Generate(cfg Config) (*datasets.Dataset, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	log := slog.Default().With("dataset", cfg.Name)
	log.Info("generating synthetic dataset", "shape", cfg.Shape, "users", cfg.Users, "items", cfg.Items, "events_mean", cfg.EventsMean)

	w := newWorld(&cfg)
	users := make([]datasets.User, cfg.Users)
	generateUsers(w, users, log)

	ds := &datasets.Dataset{
		Name:               cfg.Name,
		Users:              users,
		Items:              w.items,
		Queries:            w.queries,
		Words:              w.words,
		Categories:         w.categories,
		FeatureCardinality: append([]int(nil), cfg.UserFeatureCardinality...),
	}
	if len(ds.FeatureCardinality) == 0 {
		ds.FeatureCardinality = nil
	}
	log.Info("generated synthetic dataset", "users", len(users), "items", len(ds.Items), "queries", len(ds.Queries), "elapsed", time.Since(start).Round(time.Millisecond))
	return ds, nil
}

// generateUsers fills users on GOMAXPROCS workers and logs progress in steps of a tenth.
func generateUsers(w *world, users []datasets.User, log *slog.Logger) {
	var next, done atomic.Int64
	total := int64(len(users))
	step := max(total/10, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				u := next.Add(1) - 1
				if u >= total {
					return
				}
				users[u] = w.generateUser(int(u))
				if d := done.Add(1); d%step == 0 && total >= 10000 {
					log.Info("generating users", "done", d, "total", total)
				}
			}
		})
	}
	wg.Wait()
}
