package kuaisarr

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/srbench/srbench/datasets"
)

// GenerateSearches turns each recommendation click, with probability prob, into a search session
// at the same time whose query is the words of the clicked item's category path and whose only
// click is that item. This follows the semi-synthetic search of Ai et al. (SIGIR 2017), where a
// purchase's query is built from the product's categories.
//
// The click is converted rather than copied: a copy would put the same item in both scenarios at
// nearly the same moment, so a sample's history would contain its own target under the other
// scenario's name. Converting keeps every real click exactly once.
//
// A query's words are the names in d.Categories of the item's categories (for KuaiSAR-R,
// "c<level>_<code>"), cleaned by datasets.CleanQueryWords. Identical word sequences share one
// query. An item without categories yields no search; such draws are counted in report.Ignored.
//
// The draws for a user come from a PCG generator seeded with seed and a hash of the user's key,
// so they depend neither on user order nor on other users. d.Queries and d.Words are replaced.
func GenerateSearches(d *datasets.Dataset, prob float64, seed uint64, report *datasets.LoadReport) {
	queries := datasets.NewQueryTable()
	itemQuery := make([]int32, len(d.Items)) // query id + 1 per item; 0 = not built yet
	generated := 0
	for ui := range d.Users {
		u := &d.Users[ui]
		rng := rand.New(rand.NewPCG(seed, keyHash(u.Key)))
		for i := range u.Stream {
			e := &u.Stream[i]
			if e.Kind != datasets.Rec || rng.Float64() >= prob {
				continue
			}
			q := itemQueryID(d, queries, itemQuery, e.Item)
			if q < 0 {
				report.Ignored["search generation: click on an item without categories (no search generated)"]++
				continue
			}
			*e = datasets.Behavior{Time: e.Time, Kind: datasets.Search, Item: e.Item, Query: q, Clicks: []int32{e.Item}}
			generated++
		}
		// Converted clicks may now tie a recommendation in time; recommendations come first.
		slices.SortStableFunc(u.Stream, func(a, b datasets.Behavior) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Kind, b.Kind))
		})
	}
	d.Queries = queries.Queries()
	d.Words = queries.Words.Keys()
	report.Notes = append(report.Notes, fmt.Sprintf(
		"generated %d search sessions from category paths (probability %g per click, seed %d)", generated, prob, seed))
}

// itemQueryID returns the query id of item's category words, or -1 when it has none.
func itemQueryID(d *datasets.Dataset, queries *datasets.QueryTable, cache []int32, item int32) int32 {
	if cache[item] != 0 {
		return cache[item] - 1
	}
	var words []string
	for _, c := range d.Items[item].Categories {
		words = append(words, d.Categories[c])
	}
	words = datasets.CleanQueryWords(words)
	q := int32(-1)
	if len(words) > 0 {
		q = queries.Add(words)
	}
	cache[item] = q + 1
	return q
}

func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}
