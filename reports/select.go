package reports

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/results"
)

// Table1Groups returns the groups that belong in the main comparison: the full model (an
// empty variant or FullVariant) without sweep values, from experiments that are not ablation
// studies. An ablation study's full model would otherwise repeat the main comparison's row.
func Table1Groups(groups []*Group) []*Group {
	ablation := make(map[string]bool)
	for _, g := range groups {
		if isAblated(g) {
			ablation[g.Experiment] = true
		}
	}
	var out []*Group
	for _, g := range groups {
		if len(g.Sweep) == 0 && NormalizeVariant(g.Variant) == FullVariant && !ablation[g.Experiment] {
			out = append(out, g)
		}
	}
	return out
}

// isAblated reports whether g is an ablation variant: a variant other than the full model,
// without sweep values.
func isAblated(g *Group) bool {
	return len(g.Sweep) == 0 && NormalizeVariant(g.Variant) != FullVariant
}

// AblationSet is one ablation study: the full model and its variants on one dataset in one
// experiment.
type AblationSet struct {
	Experiment string
	Model      string
	Dataset    string
	Family     string
	// Rows holds one group per variant in the row order of the DHIM paper's Table 2
	// (VariantRank), then unlisted variants by name. The only-rec and only-src runs form one row.
	Rows []*Group
}

// Full returns the full model's row, or nil when the study has none.
func (s *AblationSet) Full() *Group {
	for _, g := range s.Rows {
		if NormalizeVariant(g.Variant) == FullVariant {
			return g
		}
	}
	return nil
}

// Ablations returns one AblationSet per experiment, model and dataset for every model that has
// at least one ablation variant in that experiment, ignoring groups with sweep values. The
// only-rec and only-src groups of a study are merged into one row (see MergeSingleTask). It
// fails when two groups of one study have the same variant, which happens when the empty
// variant and FullVariant both occur or labels differ.
func Ablations(groups []*Group) ([]*AblationSet, error) {
	type modelKey struct{ experiment, model string }
	ablated := make(map[modelKey]bool)
	for _, g := range groups {
		if isAblated(g) {
			ablated[modelKey{g.Experiment, g.Model}] = true
		}
	}
	type studyKey struct{ experiment, model, dataset string }
	index := make(map[studyKey]*AblationSet)
	var sets []*AblationSet
	for _, g := range groups {
		if len(g.Sweep) > 0 || !ablated[modelKey{g.Experiment, g.Model}] {
			continue
		}
		key := studyKey{g.Experiment, g.Model, g.Dataset}
		s := index[key]
		if s == nil {
			s = &AblationSet{Experiment: g.Experiment, Model: g.Model, Dataset: g.Dataset, Family: g.Family}
			index[key] = s
			sets = append(sets, s)
		}
		s.Rows = append(s.Rows, g)
	}
	for _, s := range sets {
		if err := s.finish(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(sets, func(a, b *AblationSet) int {
		return cmp.Or(cmp.Compare(a.Experiment, b.Experiment), cmp.Compare(FamilyRank(a.Family), FamilyRank(b.Family)),
			cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Model, b.Model))
	})
	return sets, nil
}

// finish merges the single-task rows, sorts the rows and rejects repeated variants.
func (s *AblationSet) finish() error {
	var onlyRec, onlySearch *Group
	rows := s.Rows[:0]
	for _, g := range s.Rows {
		switch g.Variant {
		case OnlyRecVariant:
			onlyRec = g
		case OnlySearchVariant:
			onlySearch = g
		default:
			rows = append(rows, g)
		}
	}
	switch {
	case onlyRec != nil && onlySearch != nil:
		rows = append(rows, MergeSingleTask(onlyRec, onlySearch))
	case onlyRec != nil:
		rows = append(rows, onlyRec)
	case onlySearch != nil:
		rows = append(rows, onlySearch)
	}
	slices.SortStableFunc(rows, func(a, b *Group) int {
		return cmp.Or(cmp.Compare(VariantRank(a.Variant), VariantRank(b.Variant)), cmp.Compare(a.Variant, b.Variant))
	})
	for i := 1; i < len(rows); i++ {
		if NormalizeVariant(rows[i].Variant) == NormalizeVariant(rows[i-1].Variant) {
			return fmt.Errorf("reports: ablation of %s on %s: %s and %s are both variant %q; give every variant one label",
				s.Model, s.Dataset, rows[i-1], rows[i], NormalizeVariant(rows[i].Variant))
		}
	}
	s.Rows = rows
	return nil
}

// MergeSingleTask joins a model trained on recommendation only (rec) and one trained on search
// only (search) into one row, as the DHIM paper prints "only Rec/Src". For each seed, the
// recommendation cases of rec and the search cases of search form one test result whose
// overall scope pools both. A seed that only one group has keeps that group's task and gets
// no overall scope.
func MergeSingleTask(rec, search *Group) *Group {
	merged := &Group{Experiment: rec.Experiment, Model: rec.Model, Variant: MergedSingleTaskVariant, Label: MergedSingleTaskLabel,
		Dataset: rec.Dataset, Family: rec.Family}
	bySeed := make(map[uint64]*results.Record)
	for _, r := range search.Runs {
		bySeed[r.Seed] = r
	}
	for _, r := range rec.Runs {
		other := bySeed[r.Seed]
		delete(bySeed, r.Seed)
		var searchResult *protocol.Result
		if other != nil {
			searchResult = other.Train.Test
		}
		merged.Runs = append(merged.Runs, mergedRecord(r, r.Train.Test, searchResult))
	}
	for _, r := range search.Runs {
		if bySeed[r.Seed] != nil {
			merged.Runs = append(merged.Runs, mergedRecord(r, nil, r.Train.Test))
		}
	}
	slices.SortFunc(merged.Runs, func(a, b *results.Record) int { return cmp.Compare(a.Seed, b.Seed) })
	return merged
}

// mergedRecord returns a copy of base whose test result holds the recommendation cases of rec
// and the search cases of search; either may be nil.
func mergedRecord(base *results.Record, rec, search *protocol.Result) *results.Record {
	out := *base
	out.Variant = MergedSingleTaskVariant
	out.Label = MergedSingleTaskLabel
	tr := *base.Train
	tr.Test = mergeResults(rec, search)
	tr.Valid = nil
	out.Train = &tr
	return &out
}

func mergeResults(rec, search *protocol.Result) *protocol.Result {
	res := &protocol.Result{Scopes: make(map[string]protocol.Summary, 3)}
	var metrics []protocol.Metric
	parts := []struct {
		scope  string
		result *protocol.Result
	}{{protocol.ScopeRec, rec}, {protocol.ScopeSearch, search}}
	var cases []protocol.CaseResult
	for _, part := range parts {
		if part.result == nil {
			continue
		}
		res.Seed, res.Order, res.Candidates = part.result.Seed, part.result.Order, part.result.Candidates
		for _, m := range part.result.Metrics {
			if !slices.Contains(metrics, m) {
				metrics = append(metrics, m)
			}
		}
		for _, c := range part.result.Cases {
			if c.Task.String() == part.scope {
				cases = append(cases, c)
			}
		}
	}
	res.Metrics = metrics
	res.Cases = cases
	for _, part := range parts {
		if part.result == nil {
			continue
		}
		var subset []protocol.CaseResult
		for _, c := range cases {
			if c.Task.String() == part.scope {
				subset = append(subset, c)
			}
		}
		if len(subset) > 0 {
			res.Scopes[part.scope] = protocol.Summarize(subset, metrics)
		}
	}
	if rec != nil && search != nil && len(cases) > 0 {
		res.Scopes[protocol.ScopeOverall] = protocol.Summarize(cases, metrics)
	}
	return res
}
