package reports

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/srbench/srbench/results"
)

// Group holds the runs of one configuration, one run per seed: the same experiment, model,
// variant, label, dataset and sweep values.
type Group struct {
	// Experiment is the experiment the runs belong to ("table1", "ablation").
	Experiment string
	Model      string
	Variant    string
	Label      string
	Joint      bool
	Dataset    string
	Family     string
	// Sweep holds the swept parameters and their values, nil outside sweeps.
	Sweep map[string]float64
	// Runs holds one finished record per seed, in increasing seed order. Every run has a test
	// result.
	Runs []*results.Record
}

// Skipped is a record that GroupRuns left out, with the reason.
type Skipped struct {
	RunID  string
	Reason string
}

// groupKey identifies a configuration; every field but the seed.
type groupKey struct {
	experiment, model, variant, label, dataset, family, sweep string
	joint                                                     bool
}

// SweepString formats sweep values as "k_rec=6,k_search=2", keys sorted; it returns "" for no
// values.
func SweepString(sweep map[string]float64) string {
	parts := make([]string, 0, len(sweep))
	for _, name := range slices.Sorted(maps.Keys(sweep)) {
		parts = append(parts, name+"="+strconv.FormatFloat(sweep[name], 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// GroupRuns groups finished runs by configuration. Groups of the reference model (see
// IsReferenceModel) are never joint. A record that did not finish (status other
// than done, or no test result) is left out and listed in skipped with the reason. Groups come
// out sorted by experiment, dataset, label, variant and sweep, and runs within a group by seed. It fails
// when two records of one configuration share a seed, naming both run ids, because the table
// could not tell which one to show.
func GroupRuns(records []*results.Record) (groups []*Group, skipped []Skipped, err error) {
	index := make(map[groupKey]*Group)
	for _, r := range records {
		if reason := unusable(r); reason != "" {
			skipped = append(skipped, Skipped{RunID: r.RunID, Reason: reason})
			continue
		}
		// Records of the reference model written before its registry entry was fixed carry
		// joint=true, so the reference model is never joint here, whatever the record says.
		joint := r.Joint && !IsReferenceModel(r.Model)
		key := groupKey{r.Experiment, r.Model, r.Variant, r.Label, r.Dataset, r.Family, SweepString(r.Sweep), joint}
		g := index[key]
		if g == nil {
			g = &Group{Experiment: r.Experiment, Model: r.Model, Variant: r.Variant, Label: r.Label, Joint: joint,
				Dataset: r.Dataset, Family: r.Family, Sweep: maps.Clone(r.Sweep)}
			index[key] = g
			groups = append(groups, g)
		}
		g.Runs = append(g.Runs, r)
	}
	for _, g := range groups {
		slices.SortFunc(g.Runs, func(a, b *results.Record) int { return cmp.Compare(a.Seed, b.Seed) })
		for i := 1; i < len(g.Runs); i++ {
			if g.Runs[i].Seed == g.Runs[i-1].Seed {
				return nil, nil, fmt.Errorf("reports: runs %s and %s are both %s with seed %d; delete one of the two records",
					g.Runs[i-1].RunID, g.Runs[i].RunID, g, g.Runs[i].Seed)
			}
		}
	}
	slices.SortFunc(groups, compareGroups)
	return groups, skipped, nil
}

// unusable returns why a record cannot enter a table, or "" when it can.
func unusable(r *results.Record) string {
	switch {
	case r.Status != results.StatusDone:
		return fmt.Sprintf("status %q (%s)", r.Status, r.Error)
	case r.Train == nil || r.Train.Test == nil:
		return "no test result"
	case r.Label == "":
		return "no label"
	}
	return ""
}

func compareGroups(a, b *Group) int {
	return cmp.Or(
		cmp.Compare(a.Experiment, b.Experiment),
		cmp.Compare(a.Dataset, b.Dataset),
		cmp.Compare(a.Label, b.Label),
		cmp.Compare(a.Variant, b.Variant),
		cmp.Compare(SweepString(a.Sweep), SweepString(b.Sweep)),
	)
}

// String names the configuration: label, variant and sweep values, dataset and experiment.
func (g *Group) String() string {
	var b strings.Builder
	b.WriteString(g.Label)
	if g.Variant != "" {
		fmt.Fprintf(&b, " [%s]", g.Variant)
	}
	if len(g.Sweep) > 0 {
		fmt.Fprintf(&b, " {%s}", SweepString(g.Sweep))
	}
	fmt.Fprintf(&b, " on %s", g.Dataset)
	if g.Experiment != "" {
		fmt.Fprintf(&b, " (experiment %s)", g.Experiment)
	}
	return b.String()
}

// Seeds returns the seeds of the runs in increasing order.
func (g *Group) Seeds() []uint64 {
	seeds := make([]uint64, len(g.Runs))
	for i, r := range g.Runs {
		seeds[i] = r.Seed
	}
	return seeds
}

// Has reports whether any run has test results for scope ("rec", "search" or "overall").
func (g *Group) Has(scope string) bool {
	for _, r := range g.Runs {
		if _, ok := r.Train.Test.Scopes[scope]; ok {
			return true
		}
	}
	return false
}
