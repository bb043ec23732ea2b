package plot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
)

// LearningCurves builds one figure per dataset of the validation metric m per epoch, with one
// panel per task and one line per group. Each point is the mean and standard deviation over
// the seeds that ran the epoch, because early stopping ends seeds at different epochs. It
// fails when no run has validation values of m.
func LearningCurves(groups []*reports.Group, m protocol.Metric) ([]*Figure, error) {
	byDataset := make(map[string][]*reports.Group)
	var datasets []string
	for _, g := range groups {
		if byDataset[g.Dataset] == nil {
			datasets = append(datasets, g.Dataset)
		}
		byDataset[g.Dataset] = append(byDataset[g.Dataset], g)
	}
	slices.Sort(datasets)
	var figures []*Figure
	for _, d := range datasets {
		fig := &Figure{Name: "curves-" + fileSafe(d)}
		for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
			panel := Panel{Title: scopeTitle(scope) + " on " + d, XLabel: "epoch", YLabel: "validation " + metricTitle(m)}
			for _, g := range byDataset[d] {
				if s := curve(g, scope, m); len(s.Points) > 0 {
					panel.Series = append(panel.Series, s)
				}
			}
			slices.SortFunc(panel.Series, func(a, b Series) int { return cmp.Compare(a.Label, b.Label) })
			if len(panel.Series) > 0 {
				fig.Panels = append(fig.Panels, panel)
			}
		}
		if len(fig.Panels) > 0 {
			figures = append(figures, fig)
		}
	}
	if len(figures) == 0 {
		return nil, fmt.Errorf("plot: no run has validation %s values per epoch", m)
	}
	return figures, nil
}

// curve averages the validation metric per epoch over the group's runs.
func curve(g *reports.Group, scope string, m protocol.Metric) Series {
	var perEpoch [][]float64
	for _, r := range g.Runs {
		for _, e := range r.Train.Epochs {
			i := e.Epoch - 1
			if i < 0 {
				continue
			}
			v, ok := e.Valid[scope].Randomized[m.String()]
			if !ok {
				continue
			}
			for len(perEpoch) <= i {
				perEpoch = append(perEpoch, nil)
			}
			perEpoch[i] = append(perEpoch[i], v)
		}
	}
	label := g.Label
	if g.Variant != "" {
		label += " [" + g.Variant + "]"
	}
	if len(g.Sweep) > 0 {
		label += " " + reports.SweepString(g.Sweep)
	}
	s := Series{Label: label}
	for i, values := range perEpoch {
		if len(values) == 0 {
			continue
		}
		st := reports.MeanStd(values)
		s.Points = append(s.Points, Point{X: float64(i + 1), Mean: st.Mean, Std: st.Std, N: st.N})
	}
	return s
}

// fileSafe replaces characters other than letters, digits, '-', '_' and '.' with '_'.
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
