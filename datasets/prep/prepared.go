// Package prep turns a dataset in the shared schema into training and evaluation samples the way
// the UniSAR line of work does. It filters samples, splits them leave-one-out by time per user,
// draws the fixed evaluation candidates and seeded training negatives, and builds padded
// batches with both histories.
//
// A sample is stored as (user, behaviour index, target item); histories are read from the user's
// stream when a batch is built, so nothing of the stream is copied per sample.
package prep

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
)

// Sample is one prediction target: a recommendation click, or one clicked item of a search
// session. Its scenario is the kind of the behaviour it points at.
type Sample struct {
	// User indexes Dataset.Users.
	User int32
	// Event indexes the user's Stream.
	Event int32
	// Target is the clicked item.
	Target int32
}

// Split names one part of a task's leave-one-out split.
type Split uint8

const (
	// Train holds every sample of a user but the last two of the scenario.
	Train Split = iota
	// Valid holds the second to last sample of each user and scenario.
	Valid
	// Test holds the last sample of each user and scenario.
	Test
)

// String returns "train", "valid" or "test".
func (s Split) String() string {
	switch s {
	case Train:
		return "train"
	case Valid:
		return "valid"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Split(%d)", uint8(s))
}

// Task is one scenario's samples and fixed evaluation candidates. Samples of a split are grouped
// by user (in user order) and sorted by time within a user.
type Task struct {
	Train, Valid, Test []Sample
	// ValidCandidates holds Options.Candidates() item ids per Valid sample, TestCandidates the
	// same per Test sample. Index 0 of each group is the positive and the rest are the
	// negatives, so an evaluator must shuffle each group before ranking, or ties would favour
	// the positive.
	ValidCandidates, TestCandidates []int32
}

// Samples returns the samples of one split.
func (t *Task) Samples(s Split) []Sample {
	switch s {
	case Valid:
		return t.Valid
	case Test:
		return t.Test
	}
	return t.Train
}

// Prepared is a dataset ready for training and evaluation. Build it with Prepare (or Restore for
// a cached copy) and treat it as read-only: any number of goroutines may read it and build
// batches from it at once.
type Prepared struct {
	Dataset *datasets.Dataset
	Options Options
	// Tasks holds the recommendation task at index datasets.Rec and the search task at index
	// datasets.Search.
	Tasks  [2]Task
	Report Report
	// QueryWords is the padded query-word table: row q (Options.MaxQueryWords entries) holds the
	// words of Dataset.Queries[q], then -1. QueryLen[q] is the number of words kept.
	QueryWords []int32
	QueryLen   []int32

	// index locates behaviours by scenario and the items each user touched.
	index streamIndex
}

// Candidates returns the evaluation candidates of sample i of the split of scenario kind:
// Options.Candidates() item ids with the positive at index 0. The slice aliases the Prepared.
// It panics if split is Train or i is out of range.
func (p *Prepared) Candidates(kind datasets.Kind, split Split, i int) []int32 {
	n := p.Options.Candidates()
	t := &p.Tasks[kind]
	switch split {
	case Valid:
		return t.ValidCandidates[i*n : (i+1)*n : (i+1)*n]
	case Test:
		return t.TestCandidates[i*n : (i+1)*n : (i+1)*n]
	}
	panic(fmt.Sprintf("prep: no candidates for split %v", split))
}

// Kind returns the scenario of a sample.
func (p *Prepared) Kind(s Sample) datasets.Kind {
	return p.Dataset.Users[s.User].Stream[s.Event].Kind
}

// Interacted returns the sorted distinct items that kept user u touched in any scenario over the
// whole stream. It is empty for a user that preprocessing dropped. The slice aliases the Prepared.
func (p *Prepared) Interacted(u int) []int32 {
	return p.index.interacted(u)
}

// History returns the stream indices of the last Options.MaxRecHistory recommendation clicks and
// the last Options.MaxSearchHistory search sessions strictly earlier in time than the sample's
// behaviour, oldest first. The slices alias the Prepared.
//
// Behaviours that share the sample's timestamp are left out even when the stream orders them
// first: semi-synthetic search (Amazon, KuaiSAR-R) pairs a purchase with a search for the same
// item at the same time, and either twin in the other's history would reveal the target.
func (p *Prepared) History(s Sample) (rec, search []int32) {
	boundary := firstAtSameTime(p.Dataset.Users[s.User].Stream, s.Event)
	return p.index.history(int(s.User), boundary, p.Options.MaxRecHistory, p.Options.MaxSearchHistory)
}

// firstAtSameTime returns the first stream position whose time equals that of position event.
func firstAtSameTime(stream []datasets.Behavior, event int32) int32 {
	t := stream[event].Time
	for event > 0 && stream[event-1].Time == t {
		event--
	}
	return event
}
