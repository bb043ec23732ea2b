package protocol

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metric names, as written before the "@" of a metric key.
const (
	// HR is the hit ratio: 1 when the positive ranks in the top k, else 0.
	HR = "hr"
	// NDCG is the normalized discounted cumulative gain with one relevant item:
	// 1/log2(rank+2) for a 0-based rank below k, else 0.
	NDCG = "ndcg"
)

// Metric is one cutoff metric such as HR@10. Its key (String) is "hr@10" or "ndcg@5", the
// RecBole style.
type Metric struct {
	// Name is HR or NDCG.
	Name string
	// K is the cutoff, at least 1.
	K int
}

// DefaultMetrics returns HR@1, HR@5, HR@10, NDCG@5 and NDCG@10, the metrics reported for DHIM
// and its baselines.
func DefaultMetrics() []Metric {
	return []Metric{{HR, 1}, {HR, 5}, {HR, 10}, {NDCG, 5}, {NDCG, 10}}
}

// String returns the metric key, for example "ndcg@10".
func (m Metric) String() string {
	return m.Name + "@" + strconv.Itoa(m.K)
}

// ParseMetric parses a metric key such as "hr@10" or "NDCG@5". The name is case-insensitive.
func ParseMetric(key string) (Metric, error) {
	name, kText, found := strings.Cut(strings.TrimSpace(key), "@")
	if !found {
		return Metric{}, fmt.Errorf("invalid metric %q: missing \"@k\"; write it like \"hr@10\" or \"ndcg@5\"", key)
	}
	m := Metric{Name: strings.ToLower(name)}
	k, err := strconv.Atoi(kText)
	if err != nil {
		return Metric{}, fmt.Errorf("invalid metric %q: cutoff %q is not an integer; write it like \"hr@10\": %w", key, kText, err)
	}
	m.K = k
	if err := m.validate(); err != nil {
		return Metric{}, err
	}
	return m, nil
}

// ParseMetrics parses each key with ParseMetric and rejects repeated metrics.
func ParseMetrics(keys []string) ([]Metric, error) {
	metrics := make([]Metric, 0, len(keys))
	for _, key := range keys {
		m, err := ParseMetric(key)
		if err != nil {
			return nil, err
		}
		metrics = append(metrics, m)
	}
	if err := validateMetrics(metrics); err != nil {
		return nil, err
	}
	return metrics, nil
}

func (m Metric) validate() error {
	if m.Name != HR && m.Name != NDCG {
		return fmt.Errorf("invalid metric %q: unknown name %q; use %q or %q", m.String(), m.Name, HR, NDCG)
	}
	if m.K < 1 {
		return fmt.Errorf("invalid metric %q: cutoff %d must be at least 1", m.String(), m.K)
	}
	return nil
}

func validateMetrics(metrics []Metric) error {
	if len(metrics) == 0 {
		return fmt.Errorf("invalid metric list: it is empty; leave it nil for the defaults %v", DefaultMetrics())
	}
	seen := make(map[Metric]bool, len(metrics))
	for _, m := range metrics {
		if err := m.validate(); err != nil {
			return err
		}
		if seen[m] {
			return fmt.Errorf("invalid metric list: %q appears twice", m.String())
		}
		seen[m] = true
	}
	return nil
}

// discount is the NDCG gain of a single relevant item at 0-based rank r.
func discount(r int) float64 {
	return 1 / math.Log2(float64(r)+2)
}

// Value returns the metric for a positive at 0-based rank rank. It returns 0 for an unknown
// metric name.
func (m Metric) Value(rank int) float64 {
	if rank < 0 || rank >= m.K {
		return 0
	}
	switch m.Name {
	case HR:
		return 1
	case NDCG:
		return discount(rank)
	}
	return 0
}

// TieAveraged returns the expected metric when greater candidates score strictly above the
// positive and ties other candidates share its score, over all orders of the tied candidates.
// The rank is then uniform over greater, greater+1, ..., greater+ties, so the result is the mean
// of Value over that range. It returns 0 for an unknown metric name or negative counts.
func (m Metric) TieAveraged(greater, ties int) float64 {
	if greater < 0 || ties < 0 {
		return 0
	}
	last := min(greater+ties, m.K-1)
	sum := 0.0
	for r := greater; r <= last; r++ {
		sum += m.Value(r)
	}
	return sum / float64(ties+1)
}
