package table

import (
	"testing"

	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
)

const cases = 200

// method is one method of the Table 1 fixture: its hit counts per task and family, at seed 2.
// Seeds 1 and 3 have one hit fewer and one more, so every cell has sample deviation 1/cases.
type method struct {
	model, label string
	joint        bool
	rec, search  map[string]int
}

// table1Methods plants these marks. Recommendation on KuaiSAR: DHIM best by far (starred),
// DIN and UniSAR tied second. Recommendation on Amazon: DHIM best by one hit per seed (not
// significant), UniSAR second. Search: DHIM and UniSAR tied best (no star), AEM second.
func table1Methods() []method {
	return []method{
		{"dhim", "DHIM", true, map[string]int{"KuaiSAR": 100, "Amazon": 41}, map[string]int{"KuaiSAR": 80, "Amazon": 80}},
		{"din", "DIN", false, map[string]int{"KuaiSAR": 40, "Amazon": 30}, nil},
		{"aem", "AEM", false, nil, map[string]int{"KuaiSAR": 50, "Amazon": 50}},
		{"unisar", "UniSAR", true, map[string]int{"KuaiSAR": 40, "Amazon": 40}, map[string]int{"KuaiSAR": 80, "Amazon": 80}},
	}
}

func table1Records() []*results.Record {
	var out []*results.Record
	for _, m := range table1Methods() {
		for _, family := range []string{"KuaiSAR", "Amazon"} {
			for seed := uint64(1); seed <= 3; seed++ {
				run := fixture.Run{Experiment: "table1", Model: m.model, Label: m.label, Joint: m.joint,
					Dataset: "synthetic-" + family, Family: family, Seed: seed}
				shift := int(seed) - 2
				if m.rec != nil {
					run.Rec = fixture.Hits(cases, m.rec[family]+shift)
				}
				if m.search != nil {
					run.Search = fixture.Hits(cases, m.search[family]+shift)
				}
				out = append(out, fixture.Record(run))
			}
		}
	}
	return out
}

func groupRecords(t *testing.T, records []*results.Record) []*reports.Group {
	t.Helper()
	groups, skipped, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	return groups
}

func buildTable1(t *testing.T) *Table {
	t.Helper()
	tbl, err := Table1(groupRecords(t, table1Records()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}
