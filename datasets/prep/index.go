package prep

import (
	"slices"
	"sort"

	"github.com/srbench/srbench/datasets"
)

// streamIndex lists, per user, the stream positions of each scenario's behaviours and the
// distinct items the user touched, in flat arrays with per-user offsets (CSR).
type streamIndex struct {
	recStart     []int64
	recEvents    []int32
	searchStart  []int64
	searchEvents []int32
	interStart   []int64
	interItems   []int32
}

// buildPositions fills the per-scenario position lists of every user.
func (x *streamIndex) buildPositions(ds *datasets.Dataset) {
	var nRec, nSearch int64
	for _, u := range ds.Users {
		for _, b := range u.Stream {
			if b.Kind == datasets.Rec {
				nRec++
			} else {
				nSearch++
			}
		}
	}
	x.recStart = make([]int64, len(ds.Users)+1)
	x.searchStart = make([]int64, len(ds.Users)+1)
	x.recEvents = make([]int32, 0, nRec)
	x.searchEvents = make([]int32, 0, nSearch)
	for ui, u := range ds.Users {
		for e, b := range u.Stream {
			if b.Kind == datasets.Rec {
				x.recEvents = append(x.recEvents, int32(e))
			} else {
				x.searchEvents = append(x.searchEvents, int32(e))
			}
		}
		x.recStart[ui+1] = int64(len(x.recEvents))
		x.searchStart[ui+1] = int64(len(x.searchEvents))
	}
}

// history returns the last maxRec recommendation and maxSearch search positions of user u before
// stream position event.
func (x *streamIndex) history(u int, event int32, maxRec, maxSearch int) (rec, search []int32) {
	rec = lastBefore(x.recEvents[x.recStart[u]:x.recStart[u+1]], event, maxRec)
	search = lastBefore(x.searchEvents[x.searchStart[u]:x.searchStart[u+1]], event, maxSearch)
	return rec, search
}

// lastBefore returns the last at most n entries of the sorted positions that are below event.
func lastBefore(positions []int32, event int32, n int) []int32 {
	end := sort.Search(len(positions), func(i int) bool { return positions[i] >= event })
	start := max(0, end-n)
	return positions[start:end:end]
}

// countBefore returns how many entries of the sorted positions are below event.
func countBefore(positions []int32, event int32) int {
	return sort.Search(len(positions), func(i int) bool { return positions[i] >= event })
}

func (x *streamIndex) interacted(u int) []int32 {
	return x.interItems[x.interStart[u]:x.interStart[u+1]:x.interStart[u+1]]
}

// userInteracted returns the sorted distinct items of a stream: recommendation clicks and every
// clicked item of every search session, past MaxClicks included.
func userInteracted(stream []datasets.Behavior) []int32 {
	items := make([]int32, 0, len(stream))
	for _, b := range stream {
		if b.Kind == datasets.Rec {
			items = append(items, b.Item)
		} else {
			items = append(items, b.Clicks...)
		}
	}
	slices.Sort(items)
	return slices.Compact(items)
}
