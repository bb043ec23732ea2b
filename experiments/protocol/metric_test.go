package protocol

import (
	"encoding/json"
	"math"
	"testing"
)

// Hand-computed NDCG discounts 1/log2(rank+2) for 0-based ranks.
const (
	discount0 = 1.0
	discount1 = 0.6309297535714575  // 1/log2(3)
	discount2 = 0.5                 // 1/log2(4)
	discount3 = 0.43067655807339306 // 1/log2(5)
	discount7 = 0.31546487678572877 // 1/log2(9)
)

// tolerance bounds float64 rounding in sums of a few discounts.
const tolerance = 1e-12

func near(got, want float64) bool {
	return math.Abs(got-want) <= tolerance
}

func TestMetricValue(t *testing.T) {
	tests := []struct {
		rank                                 int
		hr1, hr5, hr10, ndcg5, ndcg10, ndcg1 float64
	}{
		{rank: 0, hr1: 1, hr5: 1, hr10: 1, ndcg5: discount0, ndcg10: discount0, ndcg1: 1},
		{rank: 3, hr1: 0, hr5: 1, hr10: 1, ndcg5: discount3, ndcg10: discount3},
		{rank: 7, hr1: 0, hr5: 0, hr10: 1, ndcg5: 0, ndcg10: discount7},
		{rank: 12},
		{rank: -1},
	}
	for _, tt := range tests {
		checks := []struct {
			m    Metric
			want float64
		}{
			{Metric{HR, 1}, tt.hr1}, {Metric{HR, 5}, tt.hr5}, {Metric{HR, 10}, tt.hr10},
			{Metric{NDCG, 5}, tt.ndcg5}, {Metric{NDCG, 10}, tt.ndcg10}, {Metric{NDCG, 1}, tt.ndcg1},
		}
		for _, c := range checks {
			if got := c.m.Value(tt.rank); !near(got, c.want) {
				t.Errorf("%s at rank %d = %.17g, want %.17g (tolerance %g)", c.m, tt.rank, got, c.want, tolerance)
			}
		}
	}
}

func TestMetricTieAveraged(t *testing.T) {
	tests := []struct {
		name          string
		greater, ties int
		metric        Metric
		want          float64
	}{
		// The positive ties 3 others at the top: its rank is uniform over 0..3.
		{"top4 hr@1", 0, 3, Metric{HR, 1}, 0.25},
		{"top4 hr@5", 0, 3, Metric{HR, 5}, 1},
		{"top4 ndcg@5", 0, 3, Metric{NDCG, 5}, (discount0 + discount1 + discount2 + discount3) / 4},
		{"top4 ndcg@10", 0, 3, Metric{NDCG, 10}, 0.6404015779112127},
		// 3 candidates above and 4 ties: the rank is uniform over 3..7, crossing the cutoff 5.
		{"mid hr@1", 3, 4, Metric{HR, 1}, 0},
		{"mid hr@5", 3, 4, Metric{HR, 5}, 2.0 / 5},
		{"mid hr@10", 3, 4, Metric{HR, 10}, 1},
		{"mid ndcg@5", 3, 4, Metric{NDCG, 5}, 0.16350587306158695},
		{"mid ndcg@10", 3, 4, Metric{NDCG, 10}, 0.36450695250700377},
		// No ties: the plain value.
		{"untied", 3, 0, Metric{NDCG, 5}, discount3},
		// All 100 candidates tie: 1/100 for HR@1.
		{"all hr@1", 0, 99, Metric{HR, 1}, 0.01},
		{"all ndcg@10", 0, 99, Metric{NDCG, 10}, 0.04543559338088346},
		{"below cutoff", 98, 1, Metric{HR, 10}, 0},
		{"negative", -1, 2, Metric{HR, 10}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.metric.TieAveraged(tt.greater, tt.ties)
			if !near(got, tt.want) {
				t.Errorf("%s.TieAveraged(%d, %d) = %.17g, want %.17g (tolerance %g)",
					tt.metric, tt.greater, tt.ties, got, tt.want, tolerance)
			}
		})
	}
}

func TestParseMetric(t *testing.T) {
	tests := []struct {
		key     string
		want    Metric
		wantErr bool
	}{
		{key: "hr@10", want: Metric{HR, 10}},
		{key: "NDCG@5", want: Metric{NDCG, 5}},
		{key: " ndcg@1 ", want: Metric{NDCG, 1}},
		{key: "hr", wantErr: true},
		{key: "mrr@5", wantErr: true},
		{key: "hr@0", wantErr: true},
		{key: "hr@-3", wantErr: true},
		{key: "hr@ten", wantErr: true},
		{key: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseMetric(tt.key)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseMetric(%q) = %v, want an error", tt.key, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMetric(%q): %v", tt.key, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseMetric(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestParseMetricsRepeated(t *testing.T) {
	if _, err := ParseMetrics([]string{"hr@1", "HR@1"}); err == nil {
		t.Error("ParseMetrics accepted hr@1 twice")
	}
	got, err := ParseMetrics([]string{"hr@1", "hr@5", "hr@10", "ndcg@5", "ndcg@10"})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range DefaultMetrics() {
		if got[i] != m {
			t.Errorf("ParseMetrics()[%d] = %v, want %v", i, got[i], m)
		}
	}
}

func TestMetricJSON(t *testing.T) {
	type record struct {
		Metrics []Metric       `json:"metrics"`
		Order   CandidateOrder `json:"order"`
	}
	in := record{Metrics: DefaultMetrics(), Order: InputOrder}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metrics":["hr@1","hr@5","hr@10","ndcg@5","ndcg@10"],"order":"input-order"}`
	if string(data) != want {
		t.Errorf("json = %s, want %s", data, want)
	}
	var out record
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.Order != in.Order || len(out.Metrics) != len(in.Metrics) || out.Metrics[4] != in.Metrics[4] {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"order":"sorted"}`), &out); err == nil {
		t.Error("decoding order \"sorted\" succeeded, want an error")
	}
}
