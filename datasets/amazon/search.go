package amazon

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/srbench/srbench/datasets"
)

// querySource holds what a purchase's query can come from.
type querySource struct {
	// paths are the category paths with more than one level, per asin.
	paths map[string][][]string
	// published are the query ids per purchase from Ai et al.'s qrels, and queryText their
	// words; both are empty when those files are not given.
	published map[pair][]int
	queryText [][]string
}

// addSearches gives every purchase (a recommendation behaviour) a search session at the same
// time that clicks the purchased item; the merged stream orders it after the purchase. Its query is a published one when the qrels cover the
// (reviewer, item) pair, chosen among them by the seeded generator; otherwise the generator
// picks one of the item's category paths with more than one level, and the query is that
// path's words as datasets.CategoryPathQuery cleans them. A purchase with neither gets no
// search, and is counted in report.Ignored. Each user's draws come from a PCG generator seeded
// with seed and a hash of the reviewer id. d.Queries and d.Words are replaced.
//
// The search and its purchase share one timestamp on purpose: histories hold only behaviours
// strictly earlier in time, so neither twin appears in the other's history.
func addSearches(d *datasets.Dataset, src querySource, seed uint64, report *datasets.LoadReport) {
	queries := datasets.NewQueryTable()
	used := map[pair]bool{}
	var generated, published int
	for ui := range d.Users {
		u := &d.Users[ui]
		rng := rand.New(rand.NewPCG(seed, keyHash(u.Key)))
		var added []datasets.Behavior
		for _, e := range u.Stream {
			if e.Kind != datasets.Rec {
				continue
			}
			key := pair{u.Key, d.Items[e.Item].Key}
			var words []string
			if ids := src.published[key]; len(ids) > 0 {
				used[key] = true
				words = src.queryText[ids[rng.IntN(len(ids))]]
				published++
			} else if paths := src.paths[key.asin]; len(paths) > 0 {
				words = datasets.CategoryPathQuery(paths[rng.IntN(len(paths))])
				generated++
			}
			if len(words) == 0 {
				report.Ignored["search generation: purchase of an item without a multi-level category path (no search generated)"]++
				continue
			}
			q := queries.Add(words)
			added = append(added, datasets.Behavior{Time: e.Time, Kind: datasets.Search, Item: e.Item, Query: q, Clicks: []int32{e.Item}})
		}
		u.Stream = append(u.Stream, added...)
		slices.SortStableFunc(u.Stream, func(a, b datasets.Behavior) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Kind, b.Kind))
		})
	}
	for key := range src.published {
		if !used[key] {
			report.UnknownIDs["qrels: (reviewerID, asin) pair without a kept review"]++
		}
	}
	d.Queries = queries.Queries()
	d.Words = queries.Words.Keys()
	report.Notes = append(report.Notes, fmt.Sprintf(
		"search sessions: %d with published queries, %d with queries from category paths (seed %d)", published, generated, seed))
}

func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}
