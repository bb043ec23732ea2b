package synthetic

import (
	"fmt"
	"slices"
)

// Sizes accepted by Preset.
const (
	// SizeTiny is for tests: 300 users, a few hundred items, 60 (kuaisar) or 24 (amazon) events
	// per user on average.
	SizeTiny = "tiny"
	// SizeDefault is the embedded default dataset: 1,000 users, 2,000 items and 50 (kuaisar) or 30
	// (amazon) events per user on average. It is sized so that one seed of the whole Table 1 grid
	// (ten models on both shapes, batch 1024, early stopping) trains in well under an hour on a
	// 2-core machine.
	SizeDefault = "default"
	// SizeFull matches the source datasets' scale. For kuaisar that is KuaiSAR as released
	// (25,877 users, 6,890,707 items, 453,667 queries, 14,605,716 recommendation and 5,059,169
	// search actions). For amazon it is the Kindle Store 5-core reviews (68,223 users, 61,934
	// items, 982,619 reviews, each read as one recommendation and one search event).
	SizeFull = "full"
)

// shapes and sizes list the values Preset accepts.
var (
	shapes = []string{ShapeKuaiSAR, ShapeAmazon}
	sizes  = []string{SizeTiny, SizeDefault, SizeFull}
)

// Preset returns the named configuration. Shape is "kuaisar" or "amazon"; size is "tiny",
// "default" or "full". The result has Seed 1; callers override fields before Generate.
func Preset(shape, size string) (Config, error) {
	if !slices.Contains(shapes, shape) {
		return Config{}, fmt.Errorf("synthetic preset: unknown shape %q: use one of %q", shape, shapes)
	}
	if !slices.Contains(sizes, size) {
		return Config{}, fmt.Errorf("synthetic preset: unknown size %q: use one of %q", size, sizes)
	}
	c := baseConfig(shape)
	c.Name = "synthetic-" + shape + "-" + size
	if shape == ShapeKuaiSAR {
		setKuaiSARSize(&c, size)
	} else {
		setAmazonSize(&c, size)
	}
	return c, nil
}

// baseConfig returns the effect strengths and per-shape constants shared by all sizes.
func baseConfig(shape string) Config {
	c := Config{
		Shape:                  shape,
		Seed:                   1,
		QueryWordsMin:          1,
		QueryWordsMax:          4,
		EventsSpread:           0.5,
		MeanGapSeconds:         1800,
		StartTime:              1684737000, // 2023-05-22 14:30 +08:00, the start of KuaiSAR's log
		StartSpreadSeconds:     3 * 24 * 3600,
		PopularityExponent:     1.0,
		LongTermStrength:       0.8,
		LongTermConcentration:  0.3,
		ShortTermStrength:      0.6,
		DriftEvery:             6,
		QueryStrength:          0.85,
		QueryNoiseWords:        0.1,
		TransferStrength:       0.4,
		TransferWindow:         3,
		UserFeatureCardinality: []int{8, 4},
	}
	switch shape {
	case ShapeKuaiSAR:
		c.SearchShare = 0.2573 // 5,059,169 of KuaiSAR's 19,664,885 actions are searches
		c.ClicksPerSearch = 1.6
		c.MaxClicksPerSearch = 7
	case ShapeAmazon:
		c.SearchShare = 0.5 // every purchase is also read as a search for it
		c.ClicksPerSearch = 1
		c.MaxClicksPerSearch = 1
		c.EventsSpread = 0.4
	}
	return c
}

func setKuaiSARSize(c *Config, size string) {
	switch size {
	case SizeTiny:
		c.Users, c.Items = 300, 600
		c.CategoriesPerLevel = []int{4, 3, 2}
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 400, 20, 8
		c.NoiseQueries = 40
		c.EventsMean, c.EventsMin = 60, 20
	case SizeDefault:
		c.Users, c.Items = 1000, 2000
		c.CategoriesPerLevel = []int{8, 4, 3}
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 3000, 30, 20
		c.NoiseQueries = 400
		c.EventsMean, c.EventsMin = 50, 20
	case SizeFull:
		c.Users, c.Items = 25877, 6890707
		c.CategoriesPerLevel = []int{30, 8, 5}
		// 1,200 leaves x 300 + 90,000 noise queries is about KuaiSAR's 453,667 queries.
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 100000, 50, 300
		c.NoiseQueries = 90000
		c.EventsMean, c.EventsMin = 759.94, 20 // 19,664,885 actions / 25,877 users
		c.EventsSpread = 0.8
	}
}

func setAmazonSize(c *Config, size string) {
	switch size {
	case SizeTiny:
		c.Users, c.Items = 300, 500
		c.CategoriesPerLevel = []int{4, 3, 2}
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 200, 10, 4
		c.NoiseQueries = 20
		c.EventsMean, c.EventsMin = 24, 10
	case SizeDefault:
		c.Users, c.Items = 1000, 2000
		c.CategoriesPerLevel = []int{8, 4, 3}
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 1000, 10, 4
		c.NoiseQueries = 100
		c.EventsMean, c.EventsMin = 30, 10
	case SizeFull:
		c.Users, c.Items = 68223, 61934
		c.CategoriesPerLevel = []int{30, 8, 5}
		c.VocabSize, c.WordsPerCategory, c.QueriesPerCategory = 5000, 10, 4
		c.NoiseQueries = 1000
		c.EventsMean, c.EventsMin = 28.8, 10 // 2 x 982,619 reviews / 68,223 users
	}
}
