package prep

import (
	"fmt"
	"slices"

	"github.com/srbench/srbench/datasets"
)

// Restore rebuilds a Prepared from its stored parts (as a cache keeps them) and rebuilds the
// indexes that Prepare derives from the stream. It checks every sample and candidate against ds
// and returns an error naming the first one that does not fit, so that damaged stored data
// can never make a later batch build panic.
func Restore(ds *datasets.Dataset, opts Options, tasks [2]Task, report Report) (*Prepared, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("prep restore: %w", err)
	}
	p := &Prepared{Dataset: ds, Options: opts, Tasks: tasks, Report: report}
	for k := range tasks {
		if err := p.checkTask(datasets.Kind(k)); err != nil {
			return nil, fmt.Errorf("prep restore: dataset %s: %w", ds.Name, err)
		}
	}
	p.index.buildPositions(ds)
	p.rebuildInteracted()
	p.buildQueryTable()
	return p, nil
}

// checkTask verifies that every sample of the task points at a behaviour of its kind whose
// clicks contain the target, and that candidates are in range with the positive first.
func (p *Prepared) checkTask(kind datasets.Kind) error {
	t := &p.Tasks[kind]
	for _, split := range []Split{Train, Valid, Test} {
		for i, s := range t.Samples(split) {
			if err := p.checkSample(kind, s); err != nil {
				return fmt.Errorf("%v %v sample %d: %w", kind, split, i, err)
			}
		}
	}
	n := p.Options.Candidates()
	nItems := int32(len(p.Dataset.Items))
	for _, split := range []Split{Valid, Test} {
		samples := t.Samples(split)
		cands := t.ValidCandidates
		if split == Test {
			cands = t.TestCandidates
		}
		if len(cands) != len(samples)*n {
			return fmt.Errorf("%v %v: %d candidates for %d samples, want %d each", kind, split, len(cands), len(samples), n)
		}
		for i, s := range samples {
			group := cands[i*n : (i+1)*n]
			if group[0] != s.Target {
				return fmt.Errorf("%v %v sample %d: candidate 0 is item %d, want the positive %d", kind, split, i, group[0], s.Target)
			}
			for _, c := range group {
				if c < 0 || c >= nItems {
					return fmt.Errorf("%v %v sample %d: candidate item %d out of range [0,%d)", kind, split, i, c, nItems)
				}
			}
		}
	}
	return nil
}

func (p *Prepared) checkSample(kind datasets.Kind, s Sample) error {
	users := p.Dataset.Users
	if s.User < 0 || int(s.User) >= len(users) {
		return fmt.Errorf("user %d out of range [0,%d)", s.User, len(users))
	}
	stream := users[s.User].Stream
	if s.Event < 0 || int(s.Event) >= len(stream) {
		return fmt.Errorf("user %d: event %d out of range [0,%d)", s.User, s.Event, len(stream))
	}
	b := &stream[s.Event]
	if b.Kind != kind {
		return fmt.Errorf("user %d event %d: kind %v, want %v", s.User, s.Event, b.Kind, kind)
	}
	if kind == datasets.Rec && b.Item != s.Target {
		return fmt.Errorf("user %d event %d: target %d, but the click is on item %d", s.User, s.Event, s.Target, b.Item)
	}
	if kind == datasets.Search && !slices.Contains(b.Clicks[:min(len(b.Clicks), p.Options.MaxClicks)], s.Target) {
		return fmt.Errorf("user %d event %d: target %d is not among the session's first %d clicks", s.User, s.Event, s.Target, p.Options.MaxClicks)
	}
	return nil
}

// rebuildInteracted recomputes the interacted items of every kept user, a user with a test
// sample in the recommendation task.
func (p *Prepared) rebuildInteracted() {
	users := p.Dataset.Users
	kept := make([]bool, len(users))
	for _, s := range p.Tasks[datasets.Rec].Test {
		kept[s.User] = true
	}
	x := &p.index
	x.interStart = make([]int64, len(users)+1)
	x.interItems = x.interItems[:0]
	for u := range users {
		if kept[u] {
			x.interItems = append(x.interItems, userInteracted(users[u].Stream)...)
		}
		x.interStart[u+1] = int64(len(x.interItems))
	}
}
