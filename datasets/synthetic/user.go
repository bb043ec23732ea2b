package synthetic

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/srbench/srbench/datasets"
)

// userState is the generator's state while it writes one user's stream.
type userState struct {
	w   *world
	rng *rand.Rand
	// topCum is the running sum of the user's long-term preference over top categories.
	topCum []float64
	// current is the current-interest leaf and nextDrift the event index at which it changes.
	current, nextDrift int
	// lastLeaf and lastAt hold, per scenario, the leaf and index of the most recent behaviour
	// (lastAt is -1 before the first one).
	lastLeaf, lastAt [2]int
}

// generateUser writes user u's whole stream. It reads only the world and u's own random source.
func (w *world) generateUser(u int) datasets.User {
	cfg := w.cfg
	s := &userState{w: w, rng: userRand(cfg.Seed, u), topCum: make([]float64, w.numTop)}
	dirichletCumulative(s.rng, cfg.LongTermConcentration, s.topCum)
	s.lastAt = [2]int{-1, -1}

	n := w.eventCount(s.rng)
	stream := make([]datasets.Behavior, n)
	clicks := make([]int32, 0, int(float64(n)*cfg.SearchShare*cfg.ClicksPerSearch)+cfg.MaxClicksPerSearch)
	s.current = s.backgroundLeaf()
	s.nextDrift = geometric(s.rng, cfg.DriftEvery)
	t := cfg.StartTime
	if cfg.StartSpreadSeconds > 0 {
		t += s.rng.Int64N(cfg.StartSpreadSeconds + 1)
	}
	for e := range n {
		kind := datasets.Rec
		if s.rng.Float64() < cfg.SearchShare {
			kind = datasets.Search
		}
		if e > 0 {
			gap := int64(s.rng.ExpFloat64() * cfg.MeanGapSeconds)
			if gap == 0 && stream[e-1].Kind == datasets.Search && kind == datasets.Rec {
				gap = 1 // a recommendation that ties a search would have to come first
			}
			t += gap
		}
		if e >= s.nextDrift {
			s.current = s.backgroundLeaf()
			s.nextDrift = e + geometric(s.rng, cfg.DriftEvery)
		}
		leaf := s.chooseLeaf(e, kind)
		b := datasets.Behavior{Time: t, Kind: kind, Item: -1, Query: -1}
		if kind == datasets.Rec {
			b.Item = w.pickItem(s.rng, leaf)
		} else {
			b.Query = s.pickQuery(leaf)
			start := len(clicks)
			clicks = s.appendClicks(clicks, leaf)
			b.Clicks = clicks[start:len(clicks):len(clicks)]
			b.Item = b.Clicks[0]
		}
		stream[e] = b
		s.lastLeaf[kind], s.lastAt[kind] = leaf, e
	}
	return datasets.User{Key: "u" + strconv.Itoa(u), Features: s.features(n), Stream: stream}
}

// eventCount draws a log-normal count with mean EventsMean, floored at EventsMin.
func (w *world) eventCount(rng *rand.Rand) int {
	sigma := w.cfg.EventsSpread
	n := w.cfg.EventsMean * math.Exp(sigma*rng.NormFloat64()-sigma*sigma/2)
	return max(w.cfg.EventsMin, int(math.Round(n)))
}

// backgroundLeaf draws a leaf from the user's long-term preference (with probability
// LongTermStrength) or from the uniform global distribution, then a uniform leaf under it.
func (s *userState) backgroundLeaf() int {
	var top int
	if s.rng.Float64() < s.w.cfg.LongTermStrength {
		top = sampleCumulative(s.rng, s.topCum)
	} else {
		top = s.rng.IntN(s.w.numTop)
	}
	return top*s.w.leavesPerTop + s.rng.IntN(s.w.leavesPerTop)
}

// chooseLeaf applies the effects in order: transfer from the other scenario, then the short-term
// interest, then a background draw.
func (s *userState) chooseLeaf(e int, kind datasets.Kind) int {
	cfg := s.w.cfg
	other := 1 - kind
	if s.lastAt[other] >= 0 && e-s.lastAt[other] <= cfg.TransferWindow && s.rng.Float64() < cfg.TransferStrength {
		return s.lastLeaf[other]
	}
	if s.rng.Float64() < cfg.ShortTermStrength {
		return s.current
	}
	return s.backgroundLeaf()
}

// pickQuery returns a query of the leaf's pool with probability QueryStrength, otherwise one of
// the noise pool.
func (s *userState) pickQuery(leaf int) int32 {
	w := s.w
	if s.rng.Float64() < w.cfg.QueryStrength {
		return w.leafQueries[leaf*w.cfg.QueriesPerCategory+sampleCumulative(s.rng, w.leafPoolCum)]
	}
	return w.noiseQueries[sampleCumulative(s.rng, w.noisePoolCum)]
}

// appendClicks appends the distinct items clicked in one search session on leaf: 1 plus a Poisson
// count with mean ClicksPerSearch-1, capped by MaxClicksPerSearch and by the leaf's size.
func (s *userState) appendClicks(clicks []int32, leaf int) []int32 {
	cfg := s.w.cfg
	k := 1 + poisson(s.rng, cfg.ClicksPerSearch-1)
	k = min(k, cfg.MaxClicksPerSearch, s.w.leafSize(leaf))
	start := len(clicks)
	for len(clicks)-start < k {
		item := s.w.pickItem(s.rng, leaf)
		if !slices.Contains(clicks[start:], item) {
			clicks = append(clicks, item)
		}
	}
	return clicks
}

// features returns the user's categorical features as documented on UserFeatureCardinality.
func (s *userState) features(events int) []int32 {
	cfg := s.w.cfg
	if len(cfg.UserFeatureCardinality) == 0 {
		return nil
	}
	f := make([]int32, len(cfg.UserFeatureCardinality))
	for i, k := range cfg.UserFeatureCardinality {
		switch i {
		case 0:
			f[i] = int32(favouriteTop(s.topCum) % k)
		case 1:
			f[i] = int32(min(k-1, events*k/int(2*cfg.EventsMean+1)))
		default:
			f[i] = int32(s.rng.IntN(k))
		}
	}
	return f
}

// favouriteTop returns the index of the largest weight whose running sums are cum.
func favouriteTop(cum []float64) int {
	best, prev, bestWeight := 0, 0.0, -1.0
	for i, c := range cum {
		if c-prev > bestWeight {
			best, bestWeight = i, c-prev
		}
		prev = c
	}
	return best
}
