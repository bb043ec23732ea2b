package synthetic

import (
	"cmp"
	"slices"
	"testing"

	"github.com/srbench/srbench/datasets"
)

// The effect tests generate the tiny kuaisar preset (300 users, about 18,000 behaviours, 24
// leaves under 4 top categories) with every effect off, then with one effect on, and compare a
// statistic of that effect. Thresholds sit several standard errors away from both expected
// values, so the tests fail only when an effect is missing or leaks.

// allOff returns the tiny config with every planted effect at 0.
func allOff(t *testing.T, shape string) Config {
	c := mustPreset(t, shape, SizeTiny)
	c.PopularityExponent = 0
	c.LongTermStrength = 0
	c.ShortTermStrength = 0
	c.QueryStrength = 0
	c.TransferStrength = 0
	return c
}

// leafOf returns the leaf category (deepest path entry) of a behaviour's item.
func leafOf(ds *datasets.Dataset, b datasets.Behavior) int32 {
	path := ds.Items[b.Item].Categories
	return path[len(path)-1]
}

// transferRate returns, over behaviours of kind to that follow a behaviour of the other kind
// by at most window events, the share on the leaf of the most recent such behaviour.
func transferRate(ds *datasets.Dataset, to datasets.Kind, window int) float64 {
	hits, total := 0, 0
	for _, u := range ds.Users {
		last := -1 // index of the most recent behaviour of the other kind
		for i, b := range u.Stream {
			if b.Kind != to {
				last = i
				continue
			}
			if last >= 0 && i-last <= window {
				total++
				if leafOf(ds, b) == leafOf(ds, u.Stream[last]) {
					hits++
				}
			}
		}
	}
	return float64(hits) / float64(total)
}

func TestTransferEffect(t *testing.T) {
	off := mustGenerate(t, allOff(t, ShapeKuaiSAR))
	c := allOff(t, ShapeKuaiSAR)
	c.TransferStrength = 0.5
	on := mustGenerate(t, c)
	const chance = 1.0 / 24 // uniform leaves
	for _, to := range []datasets.Kind{datasets.Rec, datasets.Search} {
		rOff, rOn := transferRate(off, to, 3), transferRate(on, to, 3)
		t.Logf("%v on the leaf of the other scenario's last behaviour within 3 events: off %.3f, on %.3f", to, rOff, rOn)
		if rOff > chance+0.02 {
			t.Errorf("%v with transfer off: rate %.3f, want chance %.3f (+0.02)", to, rOff, chance)
		}
		// With strength 0.5 the expected rate is 0.5 + 0.5/24.
		if rOn < rOff+0.35 {
			t.Errorf("%v with transfer 0.5: rate %.3f, want at least off %.3f + 0.35", to, rOn, rOff)
		}
	}
}

// lagMatch returns the share of behaviour pairs lag apart (same user) that share a leaf.
func lagMatch(ds *datasets.Dataset, lag int) float64 {
	hits, total := 0, 0
	for _, u := range ds.Users {
		for i := lag; i < len(u.Stream); i++ {
			total++
			if leafOf(ds, u.Stream[i]) == leafOf(ds, u.Stream[i-lag]) {
				hits++
			}
		}
	}
	return float64(hits) / float64(total)
}

func TestShortTermEffect(t *testing.T) {
	off := mustGenerate(t, allOff(t, ShapeKuaiSAR))
	c := allOff(t, ShapeKuaiSAR)
	c.ShortTermStrength = 0.7
	on := mustGenerate(t, c)
	lag1Off, lag1On, lag20On := lagMatch(off, 1), lagMatch(on, 1), lagMatch(on, 20)
	t.Logf("same leaf at lag 1: off %.3f, on %.3f; at lag 20 on %.3f", lag1Off, lag1On, lag20On)
	if lag1Off > 1.0/24+0.02 {
		t.Errorf("short-term off: lag-1 match %.3f, want chance 0.042 (+0.02)", lag1Off)
	}
	if lag1On < lag1Off+0.25 {
		t.Errorf("short-term 0.7: lag-1 match %.3f, want at least off %.3f + 0.25", lag1On, lag1Off)
	}
	// The interest drifts every 6 events on average, so 20 events later it is mostly gone.
	if lag20On > lag1On-0.2 {
		t.Errorf("short-term 0.7: lag-20 match %.3f is not well below lag-1 %.3f: the interest does not drift", lag20On, lag1On)
	}
}

// halfConsistency returns, averaged over users, the share of second-half behaviours whose top
// category is the most frequent top category of the first half.
func halfConsistency(ds *datasets.Dataset) float64 {
	sum := 0.0
	for _, u := range ds.Users {
		half := len(u.Stream) / 2
		counts := map[int32]int{}
		for _, b := range u.Stream[:half] {
			counts[ds.Items[b.Item].Categories[0]]++
		}
		var best int32
		for c, n := range counts {
			if n > counts[best] || (n == counts[best] && c < best) {
				best = c
			}
		}
		hits := 0
		for _, b := range u.Stream[half:] {
			if ds.Items[b.Item].Categories[0] == best {
				hits++
			}
		}
		sum += float64(hits) / float64(len(u.Stream)-half)
	}
	return sum / float64(len(ds.Users))
}

func TestLongTermEffect(t *testing.T) {
	off := mustGenerate(t, allOff(t, ShapeKuaiSAR))
	c := allOff(t, ShapeKuaiSAR)
	c.LongTermStrength = 1
	on := mustGenerate(t, c)
	hOff, hOn := halfConsistency(off), halfConsistency(on)
	t.Logf("second half on first half's favourite top category: off %.3f, on %.3f", hOff, hOn)
	if hOff > 0.25+0.03 {
		t.Errorf("long-term off: %.3f, want chance 0.25 (+0.03)", hOff)
	}
	if hOn < hOff+0.25 {
		t.Errorf("long-term 1: %.3f, want at least off %.3f + 0.25", hOn, hOff)
	}
}

// queryAccuracy predicts the leaf of each search of the second half of the users from its query
// words, by the leaf each word co-occurred with most often in the first half's searches.
func queryAccuracy(ds *datasets.Dataset) float64 {
	type key struct{ word, leaf int32 }
	counts := map[key]int{}
	half := len(ds.Users) / 2
	for _, u := range ds.Users[:half] {
		for _, b := range u.Stream {
			if b.Kind == datasets.Search {
				for _, w := range ds.Queries[b.Query].Words {
					counts[key{w, leafOf(ds, b)}]++
				}
			}
		}
	}
	leaves := map[int32]bool{}
	for k := range counts {
		leaves[k.leaf] = true
	}
	sorted := slices.SortedFunc(func(yield func(int32) bool) {
		for l := range leaves {
			if !yield(l) {
				return
			}
		}
	}, cmp.Compare)
	hits, total := 0, 0
	for _, u := range ds.Users[half:] {
		for _, b := range u.Stream {
			if b.Kind != datasets.Search {
				continue
			}
			total++
			best, bestScore := int32(-1), 0
			for _, l := range sorted {
				score := 0
				for _, w := range ds.Queries[b.Query].Words {
					score += counts[key{w, l}]
				}
				if score > bestScore {
					best, bestScore = l, score
				}
			}
			if best == leafOf(ds, b) {
				hits++
			}
		}
	}
	return float64(hits) / float64(total)
}

func TestQueryEffect(t *testing.T) {
	for _, shape := range []string{ShapeKuaiSAR, ShapeAmazon} {
		t.Run(shape, func(t *testing.T) {
			off := mustGenerate(t, allOff(t, shape))
			c := allOff(t, shape)
			c.QueryStrength = 0.9
			on := mustGenerate(t, c)
			aOff, aOn := queryAccuracy(off), queryAccuracy(on)
			t.Logf("leaf predicted from query words: off %.3f, on %.3f", aOff, aOn)
			if aOff > 0.12 {
				t.Errorf("query strength 0: accuracy %.3f, want near chance 0.042 (at most 0.12)", aOff)
			}
			if aOn < 0.6 {
				t.Errorf("query strength 0.9: accuracy %.3f, want at least 0.6", aOn)
			}
		})
	}
}

// topShare returns the share of all clicks that go to the 10% most clicked items.
func topShare(ds *datasets.Dataset) float64 {
	counts := make([]int, len(ds.Items))
	total := 0
	for _, u := range ds.Users {
		for _, b := range u.Stream {
			counts[b.Item]++
			total++
		}
	}
	slices.SortFunc(counts, func(a, b int) int { return b - a })
	top := 0
	for _, n := range counts[:len(counts)/10] {
		top += n
	}
	return float64(top) / float64(total)
}

func TestPopularityEffect(t *testing.T) {
	off := mustGenerate(t, allOff(t, ShapeKuaiSAR))
	c := allOff(t, ShapeKuaiSAR)
	c.PopularityExponent = 1
	on := mustGenerate(t, c)
	sOff, sOn := topShare(off), topShare(on)
	t.Logf("clicks on the top 10%% of items: off %.3f, on %.3f", sOff, sOn)
	if sOn < sOff+0.2 {
		t.Errorf("popularity exponent 1: top-10%% share %.3f, want at least off %.3f + 0.2", sOn, sOff)
	}
}
