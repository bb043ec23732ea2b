// Package datasets defines the one in-memory schema that every data source is turned into:
// users, items, queries and, per user, a time-ordered stream of recommendation clicks and search
// sessions.
//
// Loaders for each source live in subpackages. Preprocessing, splits and negative sampling work
// on this schema only, so they never depend on the source a dataset came from.
package datasets

import "fmt"

// Kind is the scenario of a behaviour or a sample: recommendation or search.
type Kind uint8

const (
	// Rec is a recommendation click: the user clicked an item the feed showed.
	Rec Kind = iota
	// Search is a search session: the user issued a query and clicked zero or more items.
	Search
)

// String returns "rec" or "search".
func (k Kind) String() string {
	switch k {
	case Rec:
		return "rec"
	case Search:
		return "search"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText encodes k as "rec" or "search", so JSON records read as words.
func (k Kind) MarshalText() ([]byte, error) {
	if k != Rec && k != Search {
		return nil, fmt.Errorf("datasets: cannot encode invalid kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes "rec" or "search".
func (k *Kind) UnmarshalText(text []byte) error {
	switch string(text) {
	case "rec":
		*k = Rec
	case "search":
		*k = Search
	default:
		return fmt.Errorf("datasets: invalid kind %q: want rec or search", text)
	}
	return nil
}

// Item is one catalogue entry. Dense ids run from 0 to len(Dataset.Items)-1; id 0 is a real item
// (padding, where a model needs it, is added by the model as an extra row).
type Item struct {
	// Key is the item's id in the source files, kept for error messages and exports.
	Key string
	// Categories is the category path from the coarsest level to the finest, as dense ids into
	// Dataset.Categories. It may be shorter than the deepest path in the dataset.
	Categories []int32
	// Tokens holds optional text tokens (a caption or title) as dense word ids; nil when the
	// source has none.
	Tokens []int32
}

// Query is a search query as dense word ids, in the order the user typed them.
type Query struct {
	Words []int32
}

// Behavior is one event in a user's stream.
//
// For Kind == Rec, Item is the clicked item and Query is -1. For Kind == Search, Query is an index
// into Dataset.Queries, Clicks lists the items clicked in the session (possibly none, in click
// order) and Item is the first clicked item, or -1 when there is none.
type Behavior struct {
	// Time is the event time in Unix seconds or finer; only its order matters.
	Time   int64
	Kind   Kind
	Item   int32
	Query  int32
	Clicks []int32
}

// User is one user with the user's whole stream, sorted by Time. When a search and a
// recommendation share a timestamp, the recommendation comes first.
type User struct {
	// Key is the user's id in the source files.
	Key string
	// Features holds optional categorical features as small non-negative codes (for KuaiSAR:
	// onehot_feat1, onehot_feat2, search_active_level, rec_active_level); nil when absent.
	Features []int32
	Stream   []Behavior
}

// Dataset is a whole source in the shared schema.
type Dataset struct {
	// Name identifies the source and its options, for logs and cache keys ("synthetic-kuaisar-tiny").
	Name  string
	Users []User
	Items []Item
	// Queries are shared by all users; identical word sequences should map to one query.
	Queries []Query
	// Words is the vocabulary; Words[i] is the text of word id i. Generated datasets use
	// placeholder words such as "w17".
	Words []string
	// Categories names every category id; Categories[i] is the name (or source code) of id i.
	Categories []string
	// FeatureCardinality gives, per position of User.Features, the number of distinct codes.
	FeatureCardinality []int
}

// Validate checks the invariants every consumer relies on: ids in range, streams sorted, the
// fields that match each Kind. It returns the first violation found, naming the user and event.
func (d *Dataset) Validate() error {
	nItems, nQueries := int32(len(d.Items)), int32(len(d.Queries))
	for i, it := range d.Items {
		for _, c := range it.Categories {
			if c < 0 || int(c) >= len(d.Categories) {
				return fmt.Errorf("dataset %s: item %d (%q): category id %d out of range [0,%d)", d.Name, i, it.Key, c, len(d.Categories))
			}
		}
		for _, w := range it.Tokens {
			if w < 0 || int(w) >= len(d.Words) {
				return fmt.Errorf("dataset %s: item %d (%q): token id %d out of range [0,%d)", d.Name, i, it.Key, w, len(d.Words))
			}
		}
	}
	for qi, q := range d.Queries {
		for _, w := range q.Words {
			if w < 0 || int(w) >= len(d.Words) {
				return fmt.Errorf("dataset %s: query %d: word id %d out of range [0,%d)", d.Name, qi, w, len(d.Words))
			}
		}
	}
	for ui := range d.Users {
		if err := d.validateUser(ui, nItems, nQueries); err != nil {
			return err
		}
	}
	return nil
}

func (d *Dataset) validateUser(ui int, nItems, nQueries int32) error {
	u := &d.Users[ui]
	if len(u.Features) > 0 && len(u.Features) != len(d.FeatureCardinality) {
		return fmt.Errorf("dataset %s: user %q: %d features, want %d", d.Name, u.Key, len(u.Features), len(d.FeatureCardinality))
	}
	for fi, f := range u.Features {
		if f < 0 || int(f) >= d.FeatureCardinality[fi] {
			return fmt.Errorf("dataset %s: user %q: feature %d = %d out of range [0,%d)", d.Name, u.Key, fi, f, d.FeatureCardinality[fi])
		}
	}
	for bi := range u.Stream {
		if err := d.validateEvent(u, bi, nItems, nQueries); err != nil {
			// The location is formatted only on failure: formatting it for every event
			// dominated validation time at KuaiSAR's full scale.
			return fmt.Errorf("dataset %s: user %q event %d: %w", d.Name, u.Key, bi, err)
		}
	}
	return nil
}

func (d *Dataset) validateEvent(u *User, bi int, nItems, nQueries int32) error {
	b := u.Stream[bi]
	if bi > 0 {
		prev := u.Stream[bi-1]
		if b.Time < prev.Time || (b.Time == prev.Time && prev.Kind == Search && b.Kind == Rec) {
			return fmt.Errorf("stream not sorted by time (rec before search on ties) at time %d", b.Time)
		}
	}
	switch b.Kind {
	case Rec:
		if b.Item < 0 || b.Item >= nItems {
			return fmt.Errorf("rec item %d out of range [0,%d)", b.Item, nItems)
		}
	case Search:
		if b.Query < 0 || b.Query >= nQueries {
			return fmt.Errorf("query %d out of range [0,%d)", b.Query, nQueries)
		}
		for _, c := range b.Clicks {
			if c < 0 || c >= nItems {
				return fmt.Errorf("clicked item %d out of range [0,%d)", c, nItems)
			}
		}
	default:
		return fmt.Errorf("unknown kind %d", b.Kind)
	}
	return nil
}
