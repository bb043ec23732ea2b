package plot

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
)

// SweepParams returns the names of the swept parameters of the groups, sorted.
func SweepParams(groups []*reports.Group) []string {
	seen := make(map[string]bool)
	for _, g := range groups {
		for name := range g.Sweep {
			seen[name] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Sweep builds the figure of test metric m against param, with one panel per task that has
// results ("rec", "search"). Each line is one dataset, label and setting of the other swept
// parameters, and each point the mean and standard deviation over seeds at one value of param.
// It fails when no group sweeps param.
func Sweep(groups []*reports.Group, param string, m protocol.Metric) (*Figure, error) {
	var swept []*reports.Group
	for _, g := range groups {
		if _, ok := g.Sweep[param]; ok {
			swept = append(swept, g)
		}
	}
	if len(swept) == 0 {
		return nil, fmt.Errorf("plot: no run sweeps %q; swept parameters: %q", param, SweepParams(groups))
	}
	fig := &Figure{Name: "sweep-" + param}
	logX := wantLog(swept, param)
	for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
		panel := Panel{Title: scopeTitle(scope), XLabel: param, YLabel: metricTitle(m), LogX: logX}
		if logX {
			panel.XLabel += " (log scale)"
		}
		panel.Series = sweepSeries(swept, param, scope, m)
		if len(panel.Series) > 0 {
			fig.Panels = append(fig.Panels, panel)
		}
	}
	if len(fig.Panels) == 0 {
		return nil, fmt.Errorf("plot: the runs sweeping %q have no test %s values", param, m)
	}
	return fig, nil
}

func sweepSeries(groups []*reports.Group, param, scope string, m protocol.Metric) []Series {
	index := make(map[string]*Series)
	var out []*Series
	for _, g := range groups {
		s, ok := g.Stat(scope, m)
		if !ok {
			continue
		}
		label := lineLabel(g, param)
		series := index[label]
		if series == nil {
			series = &Series{Label: label}
			index[label] = series
			out = append(out, series)
		}
		series.Points = append(series.Points, Point{X: g.Sweep[param], Mean: s.Mean, Std: s.Std, N: s.N})
	}
	result := make([]Series, 0, len(out))
	for _, s := range out {
		slices.SortFunc(s.Points, func(a, b Point) int { return cmp.Compare(a.X, b.X) })
		result = append(result, *s)
	}
	slices.SortFunc(result, func(a, b Series) int { return cmp.Compare(a.Label, b.Label) })
	return result
}

// lineLabel names a line by label, variant, other swept values and dataset.
func lineLabel(g *reports.Group, param string) string {
	parts := []string{g.Label}
	if g.Variant != "" {
		parts = append(parts, "["+g.Variant+"]")
	}
	others := maps.Clone(g.Sweep)
	delete(others, param)
	if len(others) > 0 {
		parts = append(parts, reports.SweepString(others))
	}
	parts = append(parts, "on "+g.Dataset)
	return strings.Join(parts, " ")
}

// wantLog reports whether the positive values of param span at least two decades.
func wantLog(groups []*reports.Group, param string) bool {
	lo, hi := 0.0, 0.0
	for _, g := range groups {
		v := g.Sweep[param]
		if v <= 0 {
			continue
		}
		if lo == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	return lo > 0 && hi/lo >= 100
}

func scopeTitle(scope string) string {
	switch scope {
	case protocol.ScopeRec:
		return "Recommendation"
	case protocol.ScopeSearch:
		return "Search"
	}
	return "Overall"
}

func metricTitle(m protocol.Metric) string {
	return strings.ToUpper(m.Name) + "@" + fmt.Sprint(m.K)
}
