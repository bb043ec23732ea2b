package synthetic

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/srbench/srbench/datasets"
)

// world is the catalogue shared by all users: the category tree, the items with their leaves
// and popularity, and the query pools.
type world struct {
	cfg *Config
	// levels is the depth of the category tree; leavesPerTop the leaves under one top category.
	levels, numTop, numLeaves, leavesPerTop int
	// levelOffset[l] is the first category id of level l (ids are assigned level by level).
	levelOffset []int
	// leafStart and leafItems list the items of each leaf (CSR), and leafCum holds the running
	// popularity weights of leafItems, restarting at each leaf.
	leafStart []int
	leafItems []int32
	leafCum   []float64
	// leafQueries holds QueriesPerCategory query ids per leaf; noiseQueries the noise pool.
	leafQueries  []int32
	noiseQueries []int32
	// leafPoolCum and noisePoolCum are the Zipf running weights for picking from a pool.
	leafPoolCum, noisePoolCum []float64

	items      []datasets.Item
	queries    []datasets.Query
	words      []string
	categories []string
}

// newWorld builds the catalogue from the config's seed. The config must be valid.
func newWorld(cfg *Config) *world {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed_0f_ca7a1095))
	w := &world{cfg: cfg, levels: len(cfg.CategoriesPerLevel), numTop: cfg.CategoriesPerLevel[0]}
	w.numLeaves = cfg.Leaves()
	w.leavesPerTop = w.numLeaves / w.numTop
	w.buildCategories()
	w.buildWords()
	w.buildItems(rng)
	w.buildQueries(rng)
	return w
}

func (w *world) buildCategories() {
	width := 1
	for _, k := range w.cfg.CategoriesPerLevel {
		w.levelOffset = append(w.levelOffset, len(w.categories))
		width *= k
		for node := range width {
			w.categories = append(w.categories, "c"+w.nodePath(len(w.levelOffset)-1, node))
		}
	}
}

// nodePath returns the dotted child indices from the root to node number node of level l,
// such as "3.1.0".
func (w *world) nodePath(l, node int) string {
	parts := make([]string, l+1)
	for d := l; d >= 0; d-- {
		k := w.cfg.CategoriesPerLevel[d]
		parts[d] = strconv.Itoa(node % k)
		node /= k
	}
	return strings.Join(parts, ".")
}

// leafPath writes into dst the category id at every level of leaf's path, coarsest first.
func (w *world) leafPath(leaf int, dst []int32) {
	node := leaf
	for l := w.levels - 1; l >= 0; l-- {
		dst[l] = int32(w.levelOffset[l] + node)
		node /= w.cfg.CategoriesPerLevel[l]
	}
}

func (w *world) buildWords() {
	w.words = make([]string, w.cfg.VocabSize)
	for i := range w.words {
		w.words[i] = "w" + strconv.Itoa(i)
	}
}

// buildItems places item i < numLeaves in leaf i, so every leaf has an item, and every other item
// in a uniform leaf; it gives each item a Zipf popularity from a random rank.
func (w *world) buildItems(rng *rand.Rand) {
	n := w.cfg.Items
	itemLeaf := make([]int32, n)
	for i := range itemLeaf {
		if i < w.numLeaves {
			itemLeaf[i] = int32(i)
		} else {
			itemLeaf[i] = int32(rng.IntN(w.numLeaves))
		}
	}
	rank := rng.Perm(n)

	w.leafStart = make([]int, w.numLeaves+1)
	for _, l := range itemLeaf {
		w.leafStart[l+1]++
	}
	for l := range w.numLeaves {
		w.leafStart[l+1] += w.leafStart[l]
	}
	next := append([]int(nil), w.leafStart[:w.numLeaves]...)
	w.leafItems = make([]int32, n)
	for i, l := range itemLeaf {
		w.leafItems[next[l]] = int32(i)
		next[l]++
	}
	w.leafCum = make([]float64, n)
	for l := range w.numLeaves {
		sum := 0.0
		for j := w.leafStart[l]; j < w.leafStart[l+1]; j++ {
			sum += math.Pow(float64(rank[w.leafItems[j]]+1), -w.cfg.PopularityExponent)
			w.leafCum[j] = sum
		}
	}
	w.buildItemRecords(itemLeaf)
}

// buildItemRecords fills the schema's items. Keys and category paths share two backing arrays,
// which keeps millions of items to a few allocations.
func (w *world) buildItemRecords(itemLeaf []int32) {
	n := len(itemLeaf)
	var keys strings.Builder
	keys.Grow(n * 8)
	ends := make([]int, n)
	for i := range n {
		keys.WriteByte('i')
		keys.WriteString(strconv.Itoa(i))
		ends[i] = keys.Len()
	}
	allKeys := keys.String()
	paths := make([]int32, n*w.levels)
	w.items = make([]datasets.Item, n)
	start := 0
	for i := range n {
		path := paths[i*w.levels : (i+1)*w.levels : (i+1)*w.levels]
		w.leafPath(int(itemLeaf[i]), path)
		w.items[i] = datasets.Item{Key: allKeys[start:ends[i]], Categories: path}
		start = ends[i]
	}
}

// buildQueries fills each leaf's pool and the noise pool, merging identical word sequences
// into one query id.
func (w *world) buildQueries(rng *rand.Rand) {
	cfg := w.cfg
	ids := make(map[string]int32)
	var key []byte
	intern := func(words []int32) int32 {
		key = key[:0]
		for _, v := range words {
			key = binary.LittleEndian.AppendUint32(key, uint32(v))
		}
		if id, ok := ids[string(key)]; ok {
			return id
		}
		id := int32(len(w.queries))
		ids[string(key)] = id
		w.queries = append(w.queries, datasets.Query{Words: append([]int32(nil), words...)})
		return id
	}

	var words []int32
	w.leafQueries = make([]int32, w.numLeaves*cfg.QueriesPerCategory)
	leafWords := make([]int32, cfg.WordsPerCategory)
	wordCum := zipfCumulative(cfg.WordsPerCategory, 1)
	path := make([]int32, w.levels)
	for leaf := range w.numLeaves {
		w.leafPath(leaf, path)
		w.drawLeafWords(rng, leafWords)
		for j := range cfg.QueriesPerCategory {
			if cfg.Shape == ShapeAmazon {
				words = w.amazonQuery(rng, path, words[:0])
			} else {
				words = w.kuaisarQuery(rng, leafWords, wordCum, words[:0])
			}
			w.leafQueries[leaf*cfg.QueriesPerCategory+j] = intern(words)
		}
	}
	w.noiseQueries = make([]int32, cfg.NoiseQueries)
	for j := range w.noiseQueries {
		words = words[:0]
		for range cfg.QueryWordsMin + rng.IntN(cfg.QueryWordsMax-cfg.QueryWordsMin+1) {
			words = appendDistinct(words, int32(rng.IntN(cfg.VocabSize)))
		}
		w.noiseQueries[j] = intern(words)
	}
	w.leafPoolCum = zipfCumulative(cfg.QueriesPerCategory, 1)
	w.noisePoolCum = zipfCumulative(cfg.NoiseQueries, 1)
}

// drawLeafWords fills dst with distinct uniform vocabulary words: a leaf's own word list, most
// likely first.
func (w *world) drawLeafWords(rng *rand.Rand, dst []int32) {
	for i := range dst {
		for {
			v := int32(rng.IntN(w.cfg.VocabSize))
			if !containsWord(dst[:i], v) {
				dst[i] = v
				break
			}
		}
	}
}

// kuaisarQuery appends a query of words drawn from the leaf's word list with Zipf weights, each
// replaced by a uniform noise word with probability QueryNoiseWords.
func (w *world) kuaisarQuery(rng *rand.Rand, leafWords []int32, wordCum []float64, dst []int32) []int32 {
	n := w.cfg.QueryWordsMin + rng.IntN(w.cfg.QueryWordsMax-w.cfg.QueryWordsMin+1)
	for range n {
		v := leafWords[sampleCumulative(rng, wordCum)]
		if rng.Float64() < w.cfg.QueryNoiseWords {
			v = int32(rng.IntN(w.cfg.VocabSize))
		}
		dst = appendDistinct(dst, v)
	}
	return dst
}

// amazonQuery appends the name words of the category path (category id c is named by word c),
// each replaced by a uniform noise word with probability QueryNoiseWords.
func (w *world) amazonQuery(rng *rand.Rand, path []int32, dst []int32) []int32 {
	for _, c := range path {
		v := c
		if rng.Float64() < w.cfg.QueryNoiseWords {
			v = int32(rng.IntN(w.cfg.VocabSize))
		}
		dst = appendDistinct(dst, v)
	}
	return dst
}

// appendDistinct appends v unless dst has it, so a query never repeats a word.
func appendDistinct(dst []int32, v int32) []int32 {
	if containsWord(dst, v) {
		return dst
	}
	return append(dst, v)
}

func containsWord(words []int32, v int32) bool {
	for _, x := range words {
		if x == v {
			return true
		}
	}
	return false
}

// pickItem returns an item of leaf drawn by popularity.
func (w *world) pickItem(rng *rand.Rand, leaf int) int32 {
	lo, hi := w.leafStart[leaf], w.leafStart[leaf+1]
	return w.leafItems[lo+sampleCumulative(rng, w.leafCum[lo:hi])]
}

// leafSize returns the number of items in leaf.
func (w *world) leafSize(leaf int) int {
	return w.leafStart[leaf+1] - w.leafStart[leaf]
}
