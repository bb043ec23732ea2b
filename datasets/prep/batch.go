package prep

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
)

// Batch holds the padded inputs of up to Cap samples as flat row-major arrays. Row i describes
// the i-th requested sample, and only the first Size rows are valid.
//
// Every history row is right-aligned: a row of width L with n entries holds them oldest first in
// slots L-n .. L-1, so the most recent behaviour is always in slot L-1. Empty slots hold -1 in
// id arrays and 0 in time arrays. Histories contain only behaviours strictly before the
// sample's behaviour in stream order (where a recommendation that ties a search in time comes
// first).
type Batch struct {
	// Cap is the number of rows allocated and Size the number filled by the last build.
	Cap, Size int
	// RecWidth = Options.MaxRecHistory, SearchWidth = Options.MaxSearchHistory, ClickWidth =
	// Options.MaxClicks, MergedWidth = RecWidth + SearchWidth, FeatureWidth =
	// len(Dataset.FeatureCardinality) and NegativeWidth = Options.TrainNegatives.
	RecWidth, SearchWidth, ClickWidth, MergedWidth, FeatureWidth, NegativeWidth int

	// User, Kind, Target and Time are per row: the user index, the scenario (datasets.Kind), the
	// target item and the time of the sample's behaviour.
	User   []int32
	Kind   []int32
	Target []int32
	Time   []int64
	// Query is the query id of a search sample and -1 for a recommendation sample. Its words
	// are row Query of Prepared.QueryWords.
	Query []int32
	// UserFeatures is [Cap, FeatureWidth], with -1 where the user has no features.
	UserFeatures []int32
	// Negatives is [Cap, NegativeWidth], filled by BuildTrain only.
	Negatives []int32

	// RecItems and RecTimes are [Cap, RecWidth]: the recommendation history's items and times.
	// RecLen is the number of filled slots per row.
	RecItems []int32
	RecTimes []int64
	RecLen   []int32
	// SearchQueries and SearchTimes are [Cap, SearchWidth]: the search history's query ids and
	// times. SearchClicks is [Cap, SearchWidth, ClickWidth]: the first ClickWidth clicked items
	// of each session, left-aligned within the session and padded with -1, and SearchClickLen
	// [Cap, SearchWidth] their counts. SearchLen is the number of filled slots per row.
	SearchQueries  []int32
	SearchTimes    []int64
	SearchClicks   []int32
	SearchClickLen []int32
	SearchLen      []int32
	// MergedKind and MergedSlot are [Cap, MergedWidth]: both histories merged in stream order,
	// right-aligned. MergedKind is the scenario (datasets.Kind) of a position or -1 for padding,
	// and MergedSlot is the position's slot in its own history row (RecItems or SearchQueries).
	// MergedLen is the number of filled positions per row.
	MergedKind []int32
	MergedSlot []int32
	MergedLen  []int32
}

// BatchBuilder fills one reusable Batch from a Prepared. A builder is not safe for concurrent
// use; give each goroutine its own.
type BatchBuilder struct {
	p     *Prepared
	batch Batch
}

// NewBatchBuilder allocates a builder for batches of up to capacity samples. It panics if
// capacity < 1.
func NewBatchBuilder(p *Prepared, capacity int) *BatchBuilder {
	if capacity < 1 {
		panic(fmt.Sprintf("prep: batch capacity %d, want at least 1", capacity))
	}
	o := &p.Options
	b := Batch{
		Cap: capacity, RecWidth: o.MaxRecHistory, SearchWidth: o.MaxSearchHistory, ClickWidth: o.MaxClicks,
		MergedWidth: o.MaxRecHistory + o.MaxSearchHistory, FeatureWidth: len(p.Dataset.FeatureCardinality),
		NegativeWidth: o.TrainNegatives,
	}
	b.User = make([]int32, capacity)
	b.Kind = make([]int32, capacity)
	b.Target = make([]int32, capacity)
	b.Time = make([]int64, capacity)
	b.Query = make([]int32, capacity)
	b.UserFeatures = make([]int32, capacity*b.FeatureWidth)
	b.Negatives = make([]int32, capacity*b.NegativeWidth)
	b.RecItems = make([]int32, capacity*b.RecWidth)
	b.RecTimes = make([]int64, capacity*b.RecWidth)
	b.RecLen = make([]int32, capacity)
	b.SearchQueries = make([]int32, capacity*b.SearchWidth)
	b.SearchTimes = make([]int64, capacity*b.SearchWidth)
	b.SearchClicks = make([]int32, capacity*b.SearchWidth*b.ClickWidth)
	b.SearchClickLen = make([]int32, capacity*b.SearchWidth)
	b.SearchLen = make([]int32, capacity)
	b.MergedKind = make([]int32, capacity*b.MergedWidth)
	b.MergedSlot = make([]int32, capacity*b.MergedWidth)
	b.MergedLen = make([]int32, capacity)
	return &BatchBuilder{p: p, batch: b}
}

// Build fills the batch with samples[indices[0]], samples[indices[1]], ...; with nil indices it
// takes all samples in order. It returns the builder's batch, which the next call overwrites.
// It panics if more samples are requested than the capacity or an index is out of range.
func (bb *BatchBuilder) Build(samples []Sample, indices []int) *Batch {
	n := len(indices)
	if indices == nil {
		n = len(samples)
	}
	b := &bb.batch
	if n > b.Cap {
		panic(fmt.Sprintf("prep: batch of %d samples exceeds capacity %d", n, b.Cap))
	}
	b.Size = n
	for row := range n {
		i := row
		if indices != nil {
			i = indices[row]
		}
		bb.fillRow(row, samples[i])
	}
	return b
}

// BuildTrain is Build plus the training negatives of each sample for the given epoch (see
// Prepared.TrainNegatives).
func (bb *BatchBuilder) BuildTrain(samples []Sample, indices []int, epoch int) *Batch {
	b := bb.Build(samples, indices)
	w := b.NegativeWidth
	for row := range b.Size {
		i := row
		if indices != nil {
			i = indices[row]
		}
		bb.p.TrainNegatives(samples[i], epoch, b.Negatives[row*w:row*w:(row+1)*w])
	}
	return b
}

// fillRow writes one sample's target fields and both histories into row.
func (bb *BatchBuilder) fillRow(row int, s Sample) {
	b, p := &bb.batch, bb.p
	user := &p.Dataset.Users[s.User]
	ev := &user.Stream[s.Event]
	b.User[row], b.Kind[row], b.Target[row], b.Time[row] = s.User, int32(ev.Kind), s.Target, ev.Time
	b.Query[row] = -1
	if ev.Kind == datasets.Search {
		b.Query[row] = ev.Query
	}
	features := b.UserFeatures[row*b.FeatureWidth : (row+1)*b.FeatureWidth]
	if copy(features, user.Features) == 0 {
		fill(features, -1)
	}

	rec, search := p.History(s)
	bb.fillRec(row, user.Stream, rec)
	bb.fillSearch(row, user.Stream, search)
	bb.fillMerged(row, rec, search)
}

func (bb *BatchBuilder) fillRec(row int, stream []datasets.Behavior, rec []int32) {
	b := &bb.batch
	w := b.RecWidth
	items, times := b.RecItems[row*w:(row+1)*w], b.RecTimes[row*w:(row+1)*w]
	off := w - len(rec)
	fill(items[:off], -1)
	clear(times[:off])
	for j, e := range rec {
		items[off+j], times[off+j] = stream[e].Item, stream[e].Time
	}
	b.RecLen[row] = int32(len(rec))
}

func (bb *BatchBuilder) fillSearch(row int, stream []datasets.Behavior, search []int32) {
	b := &bb.batch
	w, c := b.SearchWidth, b.ClickWidth
	queries, times := b.SearchQueries[row*w:(row+1)*w], b.SearchTimes[row*w:(row+1)*w]
	clicks, clickLen := b.SearchClicks[row*w*c:(row+1)*w*c], b.SearchClickLen[row*w:(row+1)*w]
	off := w - len(search)
	fill(queries[:off], -1)
	clear(times[:off])
	fill(clicks[:off*c], -1)
	clear(clickLen[:off])
	for j, e := range search {
		slot := off + j
		queries[slot], times[slot] = stream[e].Query, stream[e].Time
		dst := clicks[slot*c : (slot+1)*c]
		n := copy(dst, stream[e].Clicks)
		fill(dst[n:], -1)
		clickLen[slot] = int32(n)
	}
	b.SearchLen[row] = int32(len(search))
}

// fillMerged merges the two position lists by stream position; each list is sorted, and a
// position belongs to exactly one list.
func (bb *BatchBuilder) fillMerged(row int, rec, search []int32) {
	b := &bb.batch
	w := b.MergedWidth
	kinds, slots := b.MergedKind[row*w:(row+1)*w], b.MergedSlot[row*w:(row+1)*w]
	n := len(rec) + len(search)
	off := w - n
	fill(kinds[:off], -1)
	fill(slots[:off], -1)
	recOff, searchOff := b.RecWidth-len(rec), b.SearchWidth-len(search)
	i, j := 0, 0
	for pos := off; pos < w; pos++ {
		if j == len(search) || (i < len(rec) && rec[i] < search[j]) {
			kinds[pos], slots[pos] = int32(datasets.Rec), int32(recOff+i)
			i++
		} else {
			kinds[pos], slots[pos] = int32(datasets.Search), int32(searchOff+j)
			j++
		}
	}
	b.MergedLen[row] = int32(n)
}

func fill(dst []int32, v int32) {
	for i := range dst {
		dst[i] = v
	}
}
