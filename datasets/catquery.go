package datasets

import (
	"encoding/binary"
	"strings"
	"unicode"
)

// The query construction here follows the semi-synthetic search setting of Ai et al., "Learning
// a Hierarchical Embedding Model for Personalized Product Search" (SIGIR 2017): a query is the
// words of an item's category path, lowercased, with stopwords and repeated words removed. The
// KuaiSAR-R loader applies the same cleaning to category-code words.

// stopwords are English function words that carry no topic. The list is this project's own; it
// covers the words that join category names ("Literature & Fiction", "Books for Kids") and the
// "s" left by tokenizing a possessive.
var stopwords = map[string]bool{
	"a": true, "about": true, "after": true, "all": true, "an": true, "and": true, "any": true,
	"are": true, "as": true, "at": true, "be": true, "but": true, "by": true, "for": true,
	"from": true, "has": true, "have": true, "how": true, "in": true, "into": true, "is": true,
	"it": true, "its": true, "more": true, "not": true, "of": true, "on": true, "or": true,
	"other": true, "our": true, "over": true, "s": true, "so": true, "than": true, "that": true,
	"the": true, "their": true, "this": true, "to": true, "up": true, "was": true, "what": true,
	"when": true, "which": true, "who": true, "with": true, "you": true, "your": true,
}

// IsStopword reports whether the lowercase word w is in the stopword list that query building
// removes.
func IsStopword(w string) bool { return stopwords[w] }

// Tokenize lowercases s and splits it into maximal runs of Unicode letters and digits; every
// other character separates words.
func Tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// CleanQueryWords returns words without empty strings, stopwords and repeats, keeping the first
// occurrence of each word in its original order. Words are compared as given, so callers
// lowercase first where case should not matter.
func CleanQueryWords(words []string) []string {
	seen := make(map[string]bool, len(words))
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w == "" || stopwords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// CategoryPathQuery returns the query words for a category path given from the coarsest level
// to the finest: every level's name tokenized by Tokenize, then cleaned by CleanQueryWords.
// The result is empty when no level has a word left.
func CategoryPathQuery(path []string) []string {
	var words []string
	for _, level := range path {
		words = append(words, Tokenize(level)...)
	}
	return CleanQueryWords(words)
}

// Vocab assigns dense ids to strings in order of first use. Loaders use it for words,
// categories and queries; its zero value is not usable, so call NewVocab.
type Vocab struct {
	ids  map[string]int32
	keys []string
}

// NewVocab returns an empty vocabulary.
func NewVocab() *Vocab { return &Vocab{ids: map[string]int32{}} }

// ID returns the id of s, adding s with the next free id when it is new.
func (v *Vocab) ID(s string) int32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := int32(len(v.keys))
	v.ids[s] = id
	v.keys = append(v.keys, s)
	return id
}

// Lookup returns the id of s and whether s is in the vocabulary, without adding it.
func (v *Vocab) Lookup(s string) (int32, bool) {
	id, ok := v.ids[s]
	return id, ok
}

// Len returns the number of distinct strings.
func (v *Vocab) Len() int { return len(v.keys) }

// Keys returns the strings in id order. The slice is shared with the Vocab.
func (v *Vocab) Keys() []string { return v.keys }

// QueryTable interns queries: identical word sequences share one query id, as Dataset.Queries
// requires.
type QueryTable struct {
	Words   *Vocab
	byIDs   map[string]int32
	queries []Query
}

// NewQueryTable returns an empty table with an empty word vocabulary.
func NewQueryTable() *QueryTable {
	return &QueryTable{Words: NewVocab(), byIDs: map[string]int32{}}
}

// Add returns the query id for words, in order, creating the query and any new words.
func (t *QueryTable) Add(words []string) int32 {
	ids := make([]int32, len(words))
	key := make([]byte, 0, 4*len(words))
	for i, w := range words {
		ids[i] = t.Words.ID(w)
		key = binary.LittleEndian.AppendUint32(key, uint32(ids[i]))
	}
	if id, ok := t.byIDs[string(key)]; ok {
		return id
	}
	id := int32(len(t.queries))
	t.byIDs[string(key)] = id
	t.queries = append(t.queries, Query{Words: ids})
	return id
}

// Queries returns the queries in id order. The slice is shared with the table.
func (t *QueryTable) Queries() []Query { return t.queries }
