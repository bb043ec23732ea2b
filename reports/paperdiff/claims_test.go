package paperdiff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
)

func TestClaimsHoldOnPaper(t *testing.T) {
	s, err := PaperScores()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range CheckClaims(s) {
		if c.Verdict != Holds {
			t.Errorf("claim %q on the paper's numbers: %s %v", c.Statement, c.Verdict, c.Evidence)
		}
	}
}

func TestClaimsNotTestedWithoutRuns(t *testing.T) {
	for _, c := range CheckClaims(Scores{}) {
		if c.Verdict != NotTested || len(c.Evidence) != 1 {
			t.Errorf("claim %q without scores: %s %v", c.Statement, c.Verdict, c.Evidence)
		}
	}
}

// mainRecords builds one seed of DHIM, UniSAR (joint) and DIN, AEM (single-scenario) with the
// given recommendation and search hits out of 100.
func mainRecords(dhimRec, unisarRec, dinRec, dhimSearch, aemSearch int) []*results.Record {
	run := func(model, label string, joint bool, rec, search int) *results.Record {
		r := fixture.Run{Experiment: "table1", Model: model, Label: label, Joint: joint, Dataset: "k", Family: "KuaiSAR", Seed: 1}
		if rec >= 0 {
			r.Rec = fixture.Hits(100, rec)
		}
		if search >= 0 {
			r.Search = fixture.Hits(100, search)
		}
		return fixture.Record(r)
	}
	return []*results.Record{
		run("dhim", "DHIM", true, dhimRec, dhimSearch),
		run("unisar", "UniSAR", true, unisarRec, -1),
		run("din", "DIN", false, dinRec, -1),
		run("aem", "AEM", false, -1, aemSearch),
	}
}

func ablationRecords(fullHits, variantHits int) []*results.Record {
	run := func(variant string, hits int) *results.Record {
		return fixture.Record(fixture.Run{Experiment: "ablation", Model: "dhim", Variant: variant, Label: variant, Joint: true, Dataset: "k", Family: "KuaiSAR",
			Seed: 1, Rec: fixture.Hits(100, hits), Search: fixture.Hits(100, hits)})
	}
	return []*results.Record{run("full", fullHits), run("no-csf", variantHits), run("no-ple", variantHits-1)}
}

func TestClaimsOnRuns(t *testing.T) {
	tests := []struct {
		name    string
		records []*results.Record
		want    [3]Verdict
		detail  string
	}{
		{"all hold", append(mainRecords(50, 40, 30, 60, 40), ablationRecords(50, 45)...), [3]Verdict{Holds, Holds, Holds}, ""},
		{"UniSAR beats DHIM", mainRecords(40, 45, 30, 60, 40), [3]Verdict{Fails, NotTested, Holds}, "UniSAR 0.4500 >= DHIM 0.4000"},
		{"DIN ties DHIM", mainRecords(40, 30, 40, 60, 40), [3]Verdict{Fails, NotTested, Fails}, "best single-scenario DIN 0.4000"},
		{"search baseline wins", mainRecords(50, 40, 30, 40, 60), [3]Verdict{Holds, NotTested, Fails}, "best joint DHIM 0.4000 <= best single-scenario AEM 0.6000"},
		{"ablation above full", ablationRecords(45, 50), [3]Verdict{NotTested, Fails, NotTested}, "no-csf 0.5000 >= full 0.4500"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ScoresFromGroups(groups(t, tc.records...))
			if err != nil {
				t.Fatal(err)
			}
			claims := CheckClaims(s)
			var all []string
			for i, c := range claims {
				if c.Verdict != tc.want[i] {
					t.Errorf("claim %d %q: %s %v, want %s", i+1, c.Statement, c.Verdict, c.Evidence, tc.want[i])
				}
				all = append(all, c.Evidence...)
			}
			if tc.detail != "" && !strings.Contains(strings.Join(all, "\n"), tc.detail) {
				t.Errorf("evidence %q lacks %q", all, tc.detail)
			}
		})
	}
}

func TestReportShowsClaims(t *testing.T) {
	s, err := ScoresFromGroups(groups(t, mainRecords(40, 45, 30, 60, 40)...))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, nil, CheckClaims(s), DefaultTolerance()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "- [fails] DHIM is best on every recommendation metric.") {
		t.Errorf("report lacks the failed claim:\n%s", b.String())
	}
}

func TestClaimsIgnorePop(t *testing.T) {
	// An old record marks pop as joint; its high scores must change no verdict.
	pop := fixture.Record(fixture.Run{Experiment: "table1", Model: "pop", Label: "Pop", Joint: true, Dataset: "k", Family: "KuaiSAR",
		Seed: 1, Rec: fixture.Hits(100, 90), Search: fixture.Hits(100, 90)})
	s, err := ScoresFromGroups(groups(t, append(mainRecords(40, 30, 40, 60, 40), pop)...))
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range s.Main {
		if sc.Method == "Pop" {
			t.Errorf("pop entered the claims' scores: %+v", sc)
		}
	}
	claims := CheckClaims(s)
	if claims[0].Verdict != Fails || !strings.Contains(strings.Join(claims[0].Evidence, "\n"), "DIN") {
		t.Errorf("claim 1: %s %v, want it to fail on DIN alone", claims[0].Verdict, claims[0].Evidence)
	}
	if claims[2].Verdict != Fails {
		t.Errorf("claim 3: %s %v, want fails (best joint DHIM ties single-scenario DIN)", claims[2].Verdict, claims[2].Evidence)
	}
}
