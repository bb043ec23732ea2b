package kuaisar

import (
	"cmp"
	"slices"

	"github.com/srbench/srbench/datasets"
)

// Builder collects behaviours keyed by source ids and assembles them into a datasets.Dataset.
// The KuaiSAR, KuaiSAR-R and Amazon loaders share it. Users and items get provisional ids in
// order of first appearance; Build replaces them by dense ids in CompareKeys order of their
// source keys, so dense ids do not depend on row order.
type Builder struct {
	// Queries interns queries and the word vocabulary shared by queries and item tokens.
	Queries *datasets.QueryTable

	users, items  *datasets.Vocab
	events        [][]event // per provisional user id
	categories    *datasets.Vocab
	categoryNames []string
	itemInfo      map[int32]datasets.Item
	features      map[string][]int32
	cardinality   []int
}

// event is one behaviour with provisional item ids. hash identifies the source row for
// duplicate removal: two events of one user at the same time, of the same kind and with equal
// non-zero hashes are duplicates.
type event struct {
	time   int64
	kind   datasets.Kind
	item   int32
	query  int32
	clicks []int32
	hash   uint64
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		Queries:    datasets.NewQueryTable(),
		users:      datasets.NewVocab(),
		items:      datasets.NewVocab(),
		categories: datasets.NewVocab(),
		itemInfo:   map[int32]datasets.Item{},
	}
}

// User returns the provisional id of the user with source key key, registering the user. A user
// registered without behaviours is counted as dropped by Build.
func (b *Builder) User(key string) int32 {
	u := b.users.ID(key)
	if int(u) == len(b.events) {
		b.events = append(b.events, nil)
	}
	return u
}

// Item returns the provisional id of the item with source key key, registering it as referenced.
func (b *Builder) Item(key string) int32 { return b.items.ID(key) }

// ReferencedItem returns the provisional id of key if some behaviour references it.
func (b *Builder) ReferencedItem(key string) (int32, bool) { return b.items.Lookup(key) }

// AddRec adds a recommendation click on item by user at time t. rowHash identifies the source
// row for duplicate removal; 0 disables it.
func (b *Builder) AddRec(user int32, t int64, item int32, rowHash uint64) {
	b.events[user] = append(b.events[user], event{time: t, kind: datasets.Rec, item: item, query: -1, hash: rowHash})
}

// AddSearch adds a search session by user at time t with query id query (from b.Queries) and the
// clicked items in click order. rowHash works as in AddRec.
func (b *Builder) AddSearch(user int32, t int64, query int32, clicks []int32, rowHash uint64) {
	b.events[user] = append(b.events[user], event{time: t, kind: datasets.Search, query: query, clicks: clicks, hash: rowHash})
}

// Category returns the dense id of the category with the given unique key, registering it with
// the display name name on first use.
func (b *Builder) Category(key, name string) int32 {
	id := b.categories.ID(key)
	if int(id) == len(b.categoryNames) {
		b.categoryNames = append(b.categoryNames, name)
	}
	return id
}

// SetItem records the features of a referenced item: its category path (ids from Category) and
// its text tokens (word ids from b.Queries.Words, nil for none). Items never set are unknown:
// Build drops behaviours on them and counts them.
func (b *Builder) SetItem(item int32, categories, tokens []int32) {
	b.itemInfo[item] = datasets.Item{Key: b.items.Keys()[item], Categories: categories, Tokens: tokens}
}

// SetUserFeatures records the categorical features per user source key. All users must have
// the same number of features; cardinality gives the number of codes per position. Without a
// call, users have no features and Build counts none as missing.
func (b *Builder) SetUserFeatures(features map[string][]int32, cardinality []int) {
	b.features = features
	b.cardinality = cardinality
}

// Sources names the files that behaviours and features come from, for the reasons counted in
// the LoadReport.
type Sources struct {
	Rec, Search, Items, Users string
}

// Build assembles the dataset and counts every drop in report. It drops behaviours on unknown
// items, and unknown clicks inside search sessions while keeping the session. It removes exact
// duplicates. It sorts every stream by time with recommendations first on ties, and the sort is
// stable, so equal events keep file order.
func (b *Builder) Build(name string, src Sources, report *datasets.LoadReport) *datasets.Dataset {
	itemIDs, items := b.denseItems()
	d := &datasets.Dataset{
		Name:               name,
		Items:              items,
		Queries:            b.Queries.Queries(),
		Words:              b.Queries.Words.Keys(),
		Categories:         b.categoryNames,
		FeatureCardinality: b.cardinality,
	}
	if d.Queries == nil {
		d.Queries = []datasets.Query{}
	}
	if d.Words == nil {
		d.Words = []string{}
	}
	if d.Categories == nil {
		d.Categories = []string{}
	}
	order := sortedIDs(b.users)
	for _, u := range order {
		key := b.users.Keys()[u]
		stream, hadEvents := b.userStream(u, itemIDs, src, report)
		if len(stream) == 0 {
			if hadEvents {
				report.UsersDropped["every behaviour references an unknown item"]++
			} else {
				report.UsersDropped["no rows that are behaviours"]++
			}
			continue
		}
		features := b.features[key]
		if features == nil && b.features != nil {
			report.UsersWithoutFeatures++
		}
		d.Users = append(d.Users, datasets.User{Key: key, Features: features, Stream: stream})
	}
	for key := range b.features {
		if _, ok := b.users.Lookup(key); !ok {
			report.UsersDropped[src.Users+": user without rows in the interaction files"]++
		}
	}
	return d
}

// denseItems returns, per provisional item id, the dense id (-1 for unknown items), and the
// known items in dense id order.
func (b *Builder) denseItems() ([]int32, []datasets.Item) {
	ids := make([]int32, b.items.Len())
	for i := range ids {
		ids[i] = -1
	}
	items := []datasets.Item{}
	for _, p := range sortedIDs(b.items) {
		info, ok := b.itemInfo[p]
		if !ok {
			continue
		}
		ids[p] = int32(len(items))
		items = append(items, info)
	}
	return ids, items
}

func sortedIDs(v *datasets.Vocab) []int32 {
	ids := make([]int32, v.Len())
	for i := range ids {
		ids[i] = int32(i)
	}
	keys := v.Keys()
	slices.SortFunc(ids, func(a, b int32) int { return datasets.CompareKeys(keys[a], keys[b]) })
	return ids
}

// userStream maps user u's events to dense item ids, drops what references unknown items,
// sorts and removes duplicates. hadEvents reports whether u had any event before dropping.
func (b *Builder) userStream(u int32, itemIDs []int32, src Sources, report *datasets.LoadReport) (stream []datasets.Behavior, hadEvents bool) {
	events := b.events[u]
	slices.SortStableFunc(events, func(x, y event) int {
		return cmp.Or(cmp.Compare(x.time, y.time), cmp.Compare(x.kind, y.kind))
	})
	for i, e := range events {
		if isDuplicate(events, i) {
			report.Duplicates[sourceOf(e.kind, src)+": exact duplicate row"]++
			continue
		}
		if e.kind == datasets.Rec {
			item := itemIDs[e.item]
			if item < 0 {
				report.UnknownIDs[src.Rec+": item not in "+src.Items]++
				continue
			}
			stream = append(stream, datasets.Behavior{Time: e.time, Kind: datasets.Rec, Item: item, Query: -1})
			continue
		}
		stream = append(stream, b.searchBehavior(e, itemIDs, src, report))
	}
	return stream, len(events) > 0
}

func (b *Builder) searchBehavior(e event, itemIDs []int32, src Sources, report *datasets.LoadReport) datasets.Behavior {
	clicks := make([]int32, 0, len(e.clicks))
	for _, c := range e.clicks {
		if itemIDs[c] < 0 {
			report.UnknownIDs[src.Search+": clicked item not in "+src.Items+" (session kept)"]++
			continue
		}
		clicks = append(clicks, itemIDs[c])
	}
	first := int32(-1)
	if len(clicks) > 0 {
		first = clicks[0]
	}
	return datasets.Behavior{Time: e.time, Kind: datasets.Search, Item: first, Query: e.query, Clicks: clicks}
}

// isDuplicate reports whether events[i] repeats an earlier event of the same time and kind.
// Events are sorted by time and kind, so the earlier copies are adjacent.
func isDuplicate(events []event, i int) bool {
	e := events[i]
	if e.hash == 0 {
		return false
	}
	for j := i - 1; j >= 0 && events[j].time == e.time && events[j].kind == e.kind; j-- {
		if events[j].hash == e.hash {
			return true
		}
	}
	return false
}

func sourceOf(k datasets.Kind, src Sources) string {
	if k == datasets.Rec {
		return src.Rec
	}
	return src.Search
}

// CountScenarios sets report.RecOnlyUsers and report.SearchOnlyUsers from d's streams.
func CountScenarios(d *datasets.Dataset, report *datasets.LoadReport) {
	report.RecOnlyUsers, report.SearchOnlyUsers = 0, 0
	for _, u := range d.Users {
		var rec, search bool
		for _, e := range u.Stream {
			rec = rec || e.Kind == datasets.Rec
			search = search || e.Kind == datasets.Search
		}
		switch {
		case rec && !search:
			report.RecOnlyUsers++
		case search && !rec:
			report.SearchOnlyUsers++
		}
	}
}
