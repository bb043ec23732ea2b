package protocol

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
)

// Scope names, the keys of Result.Scopes. A task's scope is its datasets.Kind string.
const (
	// ScopeRec holds the recommendation cases.
	ScopeRec = "rec"
	// ScopeSearch holds the search cases.
	ScopeSearch = "search"
	// ScopeOverall pools the cases of both tasks, so each task weighs by its share of cases.
	ScopeOverall = "overall"
)

// CaseResult is the outcome of one case, enough to recompute any metric.
type CaseResult struct {
	Task datasets.Kind `json:"task"`
	ID   int64         `json:"id"`
	// Rank is the positive's 0-based rank with ties resolved by the candidate order.
	Rank int `json:"rank"`
	// Greater counts the candidates scored strictly above the positive.
	Greater int `json:"greater"`
	// Ties counts the other candidates whose score equals the positive's.
	Ties int `json:"ties"`
}

// Value returns metric m at the case's rank.
func (c CaseResult) Value(m Metric) float64 {
	return m.Value(c.Rank)
}

// TieAveraged returns metric m averaged over every order of the case's tied candidates.
func (c CaseResult) TieAveraged(m Metric) float64 {
	return m.TieAveraged(c.Greater, c.Ties)
}

// inScope reports whether the case belongs to scope.
func (c CaseResult) inScope(scope string) bool {
	return scope == ScopeOverall || scope == c.Task.String()
}

// Summary holds the mean metrics over a set of cases.
type Summary struct {
	// Cases is the number of cases averaged.
	Cases int `json:"cases"`
	// TiedCases counts the cases whose positive ties at least one other candidate.
	TiedCases int `json:"tied_cases"`
	// Randomized maps each metric key to its mean at the ranks found.
	Randomized map[string]float64 `json:"randomized"`
	// TieAveraged maps each metric key to its mean expectation over the orders of tied
	// candidates.
	TieAveraged map[string]float64 `json:"tie_averaged"`
}

// Summarize averages metrics over cases, summing in case order so the result is reproducible
// to the bit. With no cases it returns a Summary whose maps are nil.
func Summarize(cases []CaseResult, metrics []Metric) Summary {
	s := Summary{Cases: len(cases)}
	if len(cases) == 0 {
		return s
	}
	s.Randomized = make(map[string]float64, len(metrics))
	s.TieAveraged = make(map[string]float64, len(metrics))
	for _, c := range cases {
		if c.Ties > 0 {
			s.TiedCases++
		}
	}
	n := float64(len(cases))
	for _, m := range metrics {
		randomized, averaged := 0.0, 0.0
		for _, c := range cases {
			randomized += c.Value(m)
			averaged += c.TieAveraged(m)
		}
		s.Randomized[m.String()] = randomized / n
		s.TieAveraged[m.String()] = averaged / n
	}
	return s
}

// Result is the outcome of one Rank call.
type Result struct {
	// Seed and Order are the Config values the cases were ranked with.
	Seed  uint64         `json:"seed"`
	Order CandidateOrder `json:"order"`
	// Candidates is the number of candidates per case.
	Candidates int `json:"candidates"`
	// Metrics lists the metrics in Scopes.
	Metrics []Metric `json:"metrics"`
	// Cases holds one record per case, in the order the cases were given.
	Cases []CaseResult `json:"cases"`
	// Scopes maps ScopeRec, ScopeSearch and ScopeOverall to their summaries. A task without
	// cases has no entry.
	Scopes map[string]Summary `json:"scopes"`
}

func newResult(cfg Config, cases []CaseResult) *Result {
	res := &Result{
		Seed:       cfg.Seed,
		Order:      cfg.Order,
		Candidates: cfg.Candidates,
		Metrics:    cfg.Metrics,
		Cases:      cases,
		Scopes:     make(map[string]Summary, 3),
	}
	for _, scope := range []string{ScopeRec, ScopeSearch, ScopeOverall} {
		subset := res.casesIn(scope)
		if len(subset) > 0 {
			res.Scopes[scope] = Summarize(subset, cfg.Metrics)
		}
	}
	return res
}

// casesIn returns the cases of scope in case order.
func (r *Result) casesIn(scope string) []CaseResult {
	if scope == ScopeOverall {
		return r.Cases
	}
	var subset []CaseResult
	for _, c := range r.Cases {
		if c.inScope(scope) {
			subset = append(subset, c)
		}
	}
	return subset
}

// Values returns metric m for each case of scope, in case order: randomized, or tie-averaged
// when tieAveraged is true. It fails for an unknown scope or an invalid metric.
func (r *Result) Values(m Metric, scope string, tieAveraged bool) ([]float64, error) {
	if err := validateScope(scope); err != nil {
		return nil, err
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	var values []float64
	for _, c := range r.Cases {
		if c.inScope(scope) {
			values = append(values, caseValue(c, m, tieAveraged))
		}
	}
	return values, nil
}

func caseValue(c CaseResult, m Metric, tieAveraged bool) float64 {
	if tieAveraged {
		return c.TieAveraged(m)
	}
	return c.Value(m)
}

func validateScope(scope string) error {
	switch scope {
	case ScopeRec, ScopeSearch, ScopeOverall:
		return nil
	}
	return fmt.Errorf("invalid scope %q; use %q, %q or %q", scope, ScopeRec, ScopeSearch, ScopeOverall)
}

// PairedValues returns metric m for the cases of scope in a and for the same cases in b, aligned
// by task and id in a's case order, ready for PairedTTest or WilcoxonSignedRank. Both results
// must hold exactly the same cases of scope; the error names the first case missing from either.
// Ranking both models with the same seed gives each case the same candidate order in both.
func PairedValues(a, b *Result, m Metric, scope string, tieAveraged bool) (x, y []float64, err error) {
	if err := validateScope(scope); err != nil {
		return nil, nil, err
	}
	if err := m.validate(); err != nil {
		return nil, nil, err
	}
	inB := make(map[caseKey]CaseResult)
	for _, c := range b.Cases {
		if c.inScope(scope) {
			inB[caseKey{c.Task, c.ID}] = c
		}
	}
	for _, c := range a.Cases {
		if !c.inScope(scope) {
			continue
		}
		key := caseKey{c.Task, c.ID}
		other, ok := inB[key]
		if !ok {
			return nil, nil, fmt.Errorf("protocol: pairing results: %s is in the first result but not in the second; rank both models on the same cases", key)
		}
		delete(inB, key)
		x = append(x, caseValue(c, m, tieAveraged))
		y = append(y, caseValue(other, m, tieAveraged))
	}
	for _, c := range b.Cases {
		key := caseKey{c.Task, c.ID}
		if _, left := inB[key]; left {
			return nil, nil, fmt.Errorf("protocol: pairing results: %s is in the second result but not in the first; rank both models on the same cases", key)
		}
	}
	return x, y, nil
}
