package synthetic

import (
	"errors"
	"fmt"
)

// Shapes accepted by Preset and Config.Shape.
const (
	// ShapeKuaiSAR gives several clicks per search session and dense histories, like KuaiSAR.
	ShapeKuaiSAR = "kuaisar"
	// ShapeAmazon gives one clicked item per search, queries made of category-path words only,
	// and sparse histories, like the semi-synthetic Amazon benchmark.
	ShapeAmazon = "amazon"
)

// Config sets the size and the planted effects of a generated dataset. Keys are flat snake_case so
// that an experiment file can override any of them. Every strength is a probability in [0,1] and 0
// turns its effect off.
type Config struct {
	// Name is Dataset.Name of the result, used in logs and cache keys.
	Name string `toml:"name"`
	// Shape is ShapeKuaiSAR or ShapeAmazon.
	Shape string `toml:"shape"`
	// Seed seeds every random draw, so the same Config always gives the same dataset.
	Seed uint64 `toml:"seed"`

	Users int `toml:"users"`
	Items int `toml:"items"`
	// CategoriesPerLevel gives the number of children of each category node, coarsest level
	// first: [10, 5, 4] makes 10 top categories, 50 at level two and 200 leaves. Every item sits
	// in one leaf, so Items must be at least the number of leaves.
	CategoriesPerLevel []int `toml:"categories_per_level"`
	// VocabSize is the number of distinct query words.
	VocabSize int `toml:"vocab_size"`
	// WordsPerCategory is the size of each leaf category's own word distribution (kuaisar shape).
	WordsPerCategory int `toml:"words_per_category"`
	// QueriesPerCategory is the size of each leaf category's query pool. A search on the
	// category picks from it with Zipf weights (exponent 1), so popular queries repeat.
	QueriesPerCategory int `toml:"queries_per_category"`
	// NoiseQueries is the size of the global pool of category-free queries (uniform words).
	NoiseQueries int `toml:"noise_queries"`
	// QueryWordsMin and QueryWordsMax bound the length of a kuaisar-shape query. Amazon-shape
	// queries have one word per category level.
	QueryWordsMin int `toml:"query_words_min"`
	QueryWordsMax int `toml:"query_words_max"`

	// EventsMean is the mean number of behaviours per user, drawn log-normally with log-scale
	// standard deviation EventsSpread and floored at EventsMin.
	EventsMean   float64 `toml:"events_mean"`
	EventsSpread float64 `toml:"events_spread"`
	EventsMin    int     `toml:"events_min"`
	// SearchShare is the probability that a behaviour is a search session.
	SearchShare float64 `toml:"search_share"`
	// ClicksPerSearch is the mean number of clicked items per search session (1 plus a Poisson
	// count, capped at MaxClicksPerSearch). The amazon shape requires exactly 1.
	ClicksPerSearch    float64 `toml:"clicks_per_search"`
	MaxClicksPerSearch int     `toml:"max_clicks_per_search"`
	// MeanGapSeconds is the mean time between two behaviours of a user (exponential gaps, whole
	// seconds, so ties occur). StartTime is the earliest first event in Unix seconds, and first
	// events spread uniformly over StartSpreadSeconds after it.
	MeanGapSeconds     float64 `toml:"mean_gap_seconds"`
	StartTime          int64   `toml:"start_time"`
	StartSpreadSeconds int64   `toml:"start_spread_seconds"`

	// PopularityExponent is the Zipf exponent of item popularity: an item of popularity rank r
	// (from 1) is picked within its leaf with weight r^-PopularityExponent. 0 gives uniform picks.
	PopularityExponent float64 `toml:"popularity_exponent"`
	// LongTermStrength is the probability that a background category draw follows the user's
	// stable preference over top categories instead of the uniform global one.
	LongTermStrength float64 `toml:"long_term_strength"`
	// LongTermConcentration is the Dirichlet concentration of a user's preference over top
	// categories. Smaller values give users fewer favourite categories.
	LongTermConcentration float64 `toml:"long_term_concentration"`
	// ShortTermStrength is the probability that a behaviour is on the user's current-interest leaf
	// category rather than on a background draw.
	ShortTermStrength float64 `toml:"short_term_strength"`
	// DriftEvery is the mean number of behaviours between two changes of the current interest
	// (geometric intervals).
	DriftEvery float64 `toml:"drift_every"`
	// QueryStrength is the probability that a search issues a query of its own category.
	// Otherwise it issues a query from the global noise pool, whose words carry no category.
	QueryStrength float64 `toml:"query_strength"`
	// QueryNoiseWords is the probability that each word of a category query is replaced by a
	// uniform word from the whole vocabulary when the query pool is built.
	QueryNoiseWords float64 `toml:"query_noise_words"`
	// TransferStrength is the probability that a behaviour takes the leaf category of the most
	// recent behaviour of the other scenario, if that one lies within TransferWindow behaviours.
	TransferStrength float64 `toml:"transfer_strength"`
	TransferWindow   int     `toml:"transfer_window"`

	// UserFeatureCardinality gives the number of codes of each user feature. Feature 0 is the
	// user's favourite top category modulo its cardinality, feature 1 (if present) an activity
	// level from the user's number of behaviours, and any further feature a uniform code.
	UserFeatureCardinality []int `toml:"user_feature_cardinality"`
}

// Leaves returns the number of leaf categories, the product of CategoriesPerLevel.
func (c *Config) Leaves() int {
	n := 1
	for _, k := range c.CategoriesPerLevel {
		n *= k
	}
	return n
}

// categoryNodes returns the number of categories over all levels.
func (c *Config) categoryNodes() int {
	total, width := 0, 1
	for _, k := range c.CategoriesPerLevel {
		width *= k
		total += width
	}
	return total
}

// Validate returns an error naming the first invalid field, its value and the accepted range.
func (c *Config) Validate() error {
	var errs []error
	check := func(ok bool, field string, value any, want string) {
		if !ok {
			errs = append(errs, fmt.Errorf("synthetic config: %s = %v is invalid: want %s", field, value, want))
		}
	}
	check(c.Shape == ShapeKuaiSAR || c.Shape == ShapeAmazon, "shape", fmt.Sprintf("%q", c.Shape), `"kuaisar" or "amazon"`)
	check(c.Users >= 1, "users", c.Users, "at least 1")
	check(len(c.CategoriesPerLevel) >= 1, "categories_per_level", c.CategoriesPerLevel, "at least one level")
	for _, k := range c.CategoriesPerLevel {
		check(k >= 1, "categories_per_level", c.CategoriesPerLevel, "every level at least 1")
	}
	if len(errs) == 0 {
		check(c.Items >= c.Leaves(), "items", c.Items, fmt.Sprintf("at least the %d leaf categories", c.Leaves()))
	}
	check(c.Items <= 1<<31-1, "items", c.Items, "at most 2^31-1")
	check(c.VocabSize >= 1, "vocab_size", c.VocabSize, "at least 1")
	check(c.WordsPerCategory >= 1 && c.WordsPerCategory <= c.VocabSize, "words_per_category", c.WordsPerCategory, "between 1 and vocab_size")
	check(c.QueriesPerCategory >= 1, "queries_per_category", c.QueriesPerCategory, "at least 1")
	check(c.NoiseQueries >= 1, "noise_queries", c.NoiseQueries, "at least 1")
	check(c.QueryWordsMin >= 1 && c.QueryWordsMax >= c.QueryWordsMin, "query_words_min/max", [2]int{c.QueryWordsMin, c.QueryWordsMax}, "1 <= min <= max")
	check(c.EventsMean >= 1, "events_mean", c.EventsMean, "at least 1")
	check(c.EventsSpread >= 0, "events_spread", c.EventsSpread, "at least 0")
	check(c.EventsMin >= 1, "events_min", c.EventsMin, "at least 1")
	check(c.MaxClicksPerSearch >= 1, "max_clicks_per_search", c.MaxClicksPerSearch, "at least 1")
	check(c.ClicksPerSearch >= 1 && c.ClicksPerSearch <= float64(c.MaxClicksPerSearch), "clicks_per_search", c.ClicksPerSearch, "between 1 and max_clicks_per_search")
	if c.Shape == ShapeAmazon && len(errs) == 0 {
		check(c.VocabSize >= c.categoryNodes(), "vocab_size", c.VocabSize, fmt.Sprintf("at least the %d category nodes for the amazon shape, whose queries name them", c.categoryNodes()))
	}
	if c.Shape == ShapeAmazon {
		check(c.ClicksPerSearch == 1 && c.MaxClicksPerSearch == 1, "clicks_per_search", c.ClicksPerSearch, "1 (with max_clicks_per_search 1) for the amazon shape")
	}
	check(c.MeanGapSeconds > 0, "mean_gap_seconds", c.MeanGapSeconds, "above 0")
	check(c.StartSpreadSeconds >= 0, "start_spread_seconds", c.StartSpreadSeconds, "at least 0")
	check(c.PopularityExponent >= 0, "popularity_exponent", c.PopularityExponent, "at least 0")
	check(c.LongTermConcentration > 0, "long_term_concentration", c.LongTermConcentration, "above 0")
	check(c.DriftEvery >= 1, "drift_every", c.DriftEvery, "at least 1")
	check(c.TransferWindow >= 1, "transfer_window", c.TransferWindow, "at least 1")
	for _, p := range []struct {
		name  string
		value float64
	}{
		{"search_share", c.SearchShare},
		{"long_term_strength", c.LongTermStrength},
		{"short_term_strength", c.ShortTermStrength},
		{"query_strength", c.QueryStrength},
		{"query_noise_words", c.QueryNoiseWords},
		{"transfer_strength", c.TransferStrength},
	} {
		check(p.value >= 0 && p.value <= 1, p.name, p.value, "a probability in [0,1]")
	}
	for i, k := range c.UserFeatureCardinality {
		check(k >= 1, fmt.Sprintf("user_feature_cardinality[%d]", i), k, "at least 1")
	}
	return errors.Join(errs...)
}
