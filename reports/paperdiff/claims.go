package paperdiff

import (
	"fmt"
	"slices"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/results/paper"
)

// Verdict is the outcome of checking a claim.
type Verdict string

const (
	// Holds means every comparison of the claim came out as the paper states.
	Holds Verdict = "holds"
	// Fails means at least one comparison did not.
	Fails Verdict = "fails"
	// NotTested means the results lack the runs the claim compares.
	NotTested Verdict = "not tested"
)

// Claim is one statement of the paper checked on a set of scores.
type Claim struct {
	Statement string
	Verdict   Verdict
	// Evidence lists each failed comparison, or a count of the comparisons that held, or what
	// is missing.
	Evidence []string
}

// Score is one mean test metric.
type Score struct {
	// Dataset is our dataset, or the paper's column for published scores.
	Dataset string
	// Scope is "rec", "search" or "overall".
	Scope string
	// Method is the paper's method name when the run maps to one, else the run's label. For
	// ablation scores it is the variant, reports.FullVariant for the full model.
	Method string
	Joint  bool
	Metric string
	Value  float64
}

// Scores holds the scores the claims compare.
type Scores struct {
	// Main holds Table 1 scores: each method per task, dataset and metric.
	Main []Score
	// Ablation holds Table 2 scores: each variant of DHIM per scope, dataset and metric.
	Ablation []Score
}

// ScoresFromGroups averages the groups' test metrics over seeds into scores. Table 1 groups,
// except those of the reference model (reports.ReferenceModel), give Main scores for the default metrics of "rec" and "search"; ablation studies of DHIM give
// Ablation scores for NDCG@5 and NDCG@10 of "overall".
func ScoresFromGroups(groups []*reports.Group) (Scores, error) {
	var s Scores
	for _, g := range reports.Table1Groups(groups) {
		if g.IsReference() {
			continue
		}
		for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
			for _, m := range protocol.DefaultMetrics() {
				if st, ok := g.Stat(scope, m); ok {
					s.Main = append(s.Main, Score{g.Dataset, scope, methodName(g), g.Joint, m.String(), st.Mean})
				}
			}
		}
	}
	sets, err := reports.Ablations(groups)
	if err != nil {
		return Scores{}, err
	}
	for _, set := range sets {
		if reports.NormalizeName(set.Model) != "dhim" {
			continue
		}
		for _, g := range set.Rows {
			for _, m := range []protocol.Metric{{Name: protocol.NDCG, K: 5}, {Name: protocol.NDCG, K: 10}} {
				if st, ok := g.Stat(protocol.ScopeOverall, m); ok {
					s.Ablation = append(s.Ablation, Score{set.Dataset, protocol.ScopeOverall, reports.NormalizeVariant(g.Variant), g.Joint, m.String(), st.Mean})
				}
			}
		}
	}
	return s, nil
}

func methodName(g *reports.Group) string {
	for _, m := range reports.Methods() {
		if g.IsMethod(m) {
			return m
		}
	}
	return g.Label
}

// PaperScores returns the paper's own numbers as scores, so the claims can be checked on the
// published tables.
func PaperScores() (Scores, error) {
	rows1, err := paper.Table1()
	if err != nil {
		return Scores{}, err
	}
	rows2, err := paper.Table2()
	if err != nil {
		return Scores{}, err
	}
	var s Scores
	for _, row := range rows1 {
		for _, key := range paper.Table1Metrics() {
			s.Main = append(s.Main, Score{row.Dataset, row.Task, row.Method, row.Joint, key, row.Values[key]})
		}
	}
	for _, row := range rows2 {
		for _, key := range paper.Table2Metrics() {
			s.Ablation = append(s.Ablation, Score{"KuaiSAR", protocol.ScopeOverall, row.Variant, true, key, row.Values[protocol.ScopeOverall][key]})
		}
	}
	return s, nil
}

// CheckClaims checks three claims of the paper on s. A comparison needs both sides on the same
// dataset, scope and metric, and "better" means a strictly higher mean.
//   - DHIM is best on every recommendation metric: DHIM beats every other method.
//   - Each Table 2 ablation scores below the full model overall, on NDCG@5 and NDCG@10.
//   - Joint training beats the single-scenario models: per task, the best joint model beats
//     the best model trained on one scenario.
func CheckClaims(s Scores) []Claim {
	return []Claim{checkDHIMBest(s.Main), checkAblations(s.Ablation), checkJoint(s.Main)}
}

// cellKey identifies one comparison: a dataset, scope and metric.
type cellKey struct{ dataset, scope, metric string }

func byCell(scores []Score, scope string) (map[cellKey][]Score, []cellKey) {
	cells := make(map[cellKey][]Score)
	var keys []cellKey
	for _, sc := range scores {
		if sc.Scope != scope {
			continue
		}
		k := cellKey{sc.Dataset, sc.Scope, sc.Metric}
		if cells[k] == nil {
			keys = append(keys, k)
		}
		cells[k] = append(cells[k], sc)
	}
	return cells, keys
}

// verdict turns counts into a claim.
func verdict(statement string, held int, failures []string, missing string) Claim {
	c := Claim{Statement: statement}
	switch {
	case len(failures) > 0:
		c.Verdict, c.Evidence = Fails, failures
	case held == 0:
		c.Verdict, c.Evidence = NotTested, []string{missing}
	default:
		c.Verdict, c.Evidence = Holds, []string{fmt.Sprintf("all %d comparisons hold", held)}
	}
	return c
}

func checkDHIMBest(main []Score) Claim {
	cells, keys := byCell(main, protocol.ScopeRec)
	held := 0
	var failures []string
	for _, k := range keys {
		i := slices.IndexFunc(cells[k], func(sc Score) bool { return reports.NormalizeName(sc.Method) == "dhim" })
		if i < 0 {
			continue
		}
		dhim := cells[k][i]
		for _, other := range cells[k] {
			if other.Method == dhim.Method {
				continue
			}
			if other.Value >= dhim.Value {
				failures = append(failures, fmt.Sprintf("%s %s %s: %s %.4f >= DHIM %.4f", k.dataset, k.scope, k.metric, other.Method, other.Value, dhim.Value))
			} else {
				held++
			}
		}
	}
	return verdict("DHIM is best on every recommendation metric.", held, failures,
		"needs recommendation results of DHIM and at least one other method on the same dataset")
}

func checkAblations(ablation []Score) Claim {
	cells, keys := byCell(ablation, protocol.ScopeOverall)
	held := 0
	var failures []string
	for _, k := range keys {
		i := slices.IndexFunc(cells[k], func(sc Score) bool { return isFull(sc.Method) })
		if i < 0 {
			continue
		}
		full := cells[k][i]
		for _, v := range cells[k] {
			if isFull(v.Method) {
				continue
			}
			if v.Value >= full.Value {
				failures = append(failures, fmt.Sprintf("%s overall %s: %s %.4f >= full %.4f", k.dataset, k.metric, v.Method, v.Value, full.Value))
			} else {
				held++
			}
		}
	}
	return verdict("Each ablation scores below the full model overall (NDCG@5 and NDCG@10).", held, failures,
		"needs the full model and at least one ablation variant on the same dataset")
}

func isFull(method string) bool {
	return method == reports.FullVariant
}

func checkJoint(main []Score) Claim {
	held := 0
	var failures []string
	for _, scope := range []string{protocol.ScopeRec, protocol.ScopeSearch} {
		cells, keys := byCell(main, scope)
		for _, k := range keys {
			joint, jointOK := best(cells[k], true)
			single, singleOK := best(cells[k], false)
			if !jointOK || !singleOK {
				continue
			}
			if joint.Value > single.Value {
				held++
			} else {
				failures = append(failures, fmt.Sprintf("%s %s %s: best joint %s %.4f <= best single-scenario %s %.4f",
					k.dataset, k.scope, k.metric, joint.Method, joint.Value, single.Method, single.Value))
			}
		}
	}
	return verdict("Joint training beats the single-scenario models (best joint model against best single-scenario model per task).",
		held, failures, "needs a joint and a single-scenario model on the same task and dataset")
}

// best returns the highest score among the joint (or single-scenario) methods.
func best(scores []Score, joint bool) (Score, bool) {
	var out Score
	found := false
	for _, sc := range scores {
		if sc.Joint == joint && (!found || sc.Value > out.Value) {
			out, found = sc, true
		}
	}
	return out, found
}
