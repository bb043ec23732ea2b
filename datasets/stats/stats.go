// Package stats summarises a prepared dataset for reports and logs: sizes, behaviours and samples
// per scenario and split, history lengths at test time, and what preprocessing filtered out.
package stats

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
)

// Percentiles are nearest-rank percentiles of a list of lengths: the smallest value with at
// least the given share of the list at or below it. All are 0 for an empty list.
type Percentiles struct {
	P10, P50, P90, Max int
}

// Stats is the summary of one prepared dataset. Arrays are indexed by datasets.Kind.
type Stats struct {
	Name                                    string
	Users, KeptUsers, Items, Queries, Words int
	Categories                              int
	// Behaviors counts stream events per scenario over all users.
	Behaviors [2]int
	// Samples counts samples per scenario and split (indexed by prep.Split).
	Samples [2][3]int
	// RecHistory and SearchHistory are the history lengths of the test samples of each
	// scenario, capped at the configured maximum lengths.
	RecHistory, SearchHistory [2]Percentiles
	// SearchShare is the share of search samples among all test samples.
	SearchShare float64
	Report      prep.Report
}

// Compute summarises p.
func Compute(p *prep.Prepared) Stats {
	ds := p.Dataset
	s := Stats{
		Name: ds.Name, Users: len(ds.Users), KeptUsers: p.Report.KeptUsers, Items: len(ds.Items),
		Queries: len(ds.Queries), Words: len(ds.Words), Categories: len(ds.Categories),
		Behaviors: p.Report.Behaviors, Report: p.Report,
	}
	tests := 0
	for k := range p.Tasks {
		t := &p.Tasks[k]
		for _, split := range []prep.Split{prep.Train, prep.Valid, prep.Test} {
			s.Samples[k][split] = len(t.Samples(split))
		}
		tests += len(t.Test)
		recLens := make([]int, len(t.Test))
		searchLens := make([]int, len(t.Test))
		for i, sample := range t.Test {
			rec, search := p.History(sample)
			recLens[i], searchLens[i] = len(rec), len(search)
		}
		s.RecHistory[k] = percentiles(recLens)
		s.SearchHistory[k] = percentiles(searchLens)
	}
	if tests > 0 {
		s.SearchShare = float64(len(p.Tasks[datasets.Search].Test)) / float64(tests)
	}
	return s
}

// percentiles sorts v in place and returns its nearest-rank percentiles.
func percentiles(v []int) Percentiles {
	if len(v) == 0 {
		return Percentiles{}
	}
	slices.Sort(v)
	rank := func(q int) int { // nearest rank: ceil(q/100 * n), from 1
		r := (q*len(v) + 99) / 100
		return v[max(r, 1)-1]
	}
	return Percentiles{P10: rank(10), P50: rank(50), P90: rank(90), Max: v[len(v)-1]}
}

// Write prints the summary as three aligned text tables: sizes, samples per scenario and split
// with history lengths at test time, and the filter report.
func (s Stats) Write(w io.Writer) error {
	for _, section := range []func(io.Writer){s.writeSizes, s.writeSplits, s.writeFilters} {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		section(tw)
		if err := tw.Flush(); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}

func (s Stats) writeSizes(w io.Writer) {
	fmt.Fprintf(w, "dataset\t%s\n", s.Name)
	fmt.Fprintf(w, "users (kept)\t%d (%d)\n", s.Users, s.KeptUsers)
	fmt.Fprintf(w, "items\t%d\n", s.Items)
	fmt.Fprintf(w, "queries\t%d\n", s.Queries)
	fmt.Fprintf(w, "words\t%d\n", s.Words)
	fmt.Fprintf(w, "categories\t%d\n", s.Categories)
	fmt.Fprintf(w, "search share of test cases\t%.4f\n", s.SearchShare)
}

func (s Stats) writeSplits(w io.Writer) {
	fmt.Fprintln(w, "scenario\tbehaviours\ttrain\tvalid\ttest\trec history p10/p50/p90/max\tsearch history p10/p50/p90/max")
	for _, k := range []datasets.Kind{datasets.Rec, datasets.Search} {
		fmt.Fprintf(w, "%v\t%d\t%d\t%d\t%d\t%s\t%s\n", k, s.Behaviors[k], s.Samples[k][prep.Train],
			s.Samples[k][prep.Valid], s.Samples[k][prep.Test], s.RecHistory[k], s.SearchHistory[k])
	}
}

func (s Stats) writeFilters(w io.Writer) {
	r := &s.Report
	fmt.Fprintln(w, "samples by filter\trec\tsearch")
	rows := []struct {
		name string
		v    [2]int
	}{
		{"formed", r.Formed},
		{"dropped: no earlier rec", r.NoEarlierRec},
		{"dropped: no earlier search", r.NoEarlierSearch},
		{fmt.Sprintf("dropped: user below min samples (%d users)", r.FewSamplesUsers), r.FewSamples},
		{fmt.Sprintf("dropped: user with too few negatives (%d users)", r.FewNegativesUsers), r.FewNegatives},
		{"kept", r.Kept},
	}
	for _, row := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\n", row.name, row.v[0], row.v[1])
	}
	fmt.Fprintf(w, "search sessions without clicks\t\t%d\n", r.EmptySessions)
	fmt.Fprintf(w, "clicks past max_clicks\t\t%d\n", r.ExtraClicks)
}

// String returns "p10/p50/p90/max".
func (p Percentiles) String() string {
	return fmt.Sprintf("%d/%d/%d/%d", p.P10, p.P50, p.P90, p.Max)
}
