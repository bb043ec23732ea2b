package paper

import (
	"math"
	"strings"
	"testing"
)

func TestTable1Embedded(t *testing.T) {
	rows, err := Table1()
	if err != nil {
		t.Fatal(err)
	}
	// 7 recommendation and 6 search methods on each of 2 datasets.
	if len(rows) != 26 {
		t.Fatalf("got %d rows, want 26", len(rows))
	}
	var dhim *Table1Row
	for i, r := range rows {
		if r.Task == "rec" && r.Method == "DHIM" && r.Dataset == "KuaiSAR" {
			dhim = &rows[i]
		}
		if len(r.Values) != 5 {
			t.Errorf("row %d has %d values, want 5", i, len(r.Values))
		}
	}
	if dhim == nil {
		t.Fatal("no DHIM recommendation row on KuaiSAR")
	}
	if !dhim.Joint {
		t.Error("DHIM is not marked joint")
	}
	if got := dhim.Values["ndcg@5"]; got != 0.3677 {
		t.Errorf("DHIM KuaiSAR rec ndcg@5 = %v, want 0.3677", got)
	}
}

func TestTable2Embedded(t *testing.T) {
	rows, err := Table2()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 {
		t.Fatalf("got %d rows, want 12", len(rows))
	}
	if rows[0].Variant != "full" || rows[11].Variant != "only Rec/Src" {
		t.Errorf("first and last variants are %q and %q", rows[0].Variant, rows[11].Variant)
	}
	full := rows[0].Values
	// Overall pools the test cases: 94.14% recommendation and 5.86% search cases on KuaiSAR.
	pooled := 0.9414*full["rec"]["ndcg@5"] + 0.0586*full["search"]["ndcg@5"]
	if math.Abs(pooled-full["overall"]["ndcg@5"]) > 1e-4 {
		t.Errorf("pooled ndcg@5 %v differs from overall %v", pooled, full["overall"]["ndcg@5"])
	}
}

func TestParseErrors(t *testing.T) {
	header1 := "task,method,joint,dataset,HR@1,HR@5,HR@10,NDCG@5,NDCG@10\n"
	tests := []struct {
		name, text, want string
		table2           bool
	}{
		{"bad header", "task,method\n", "wrong number of fields", false},
		{"renamed column", strings.Replace(header1, "HR@5", "HR@6", 1), `header column 6 is "HR@6"`, false},
		{"bad number", header1 + "rec,DIN,false,KuaiSAR,0.1,x,0.3,0.4,0.5\n", `line 2: field HR@5: "x" is not a number`, false},
		{"out of range", header1 + "# note\nrec,DIN,false,KuaiSAR,0.1,0.2,1.3,0.4,0.5\n", "line 3: field HR@10: 1.3 is outside [0, 1]", false},
		{"bad task", header1 + "ads,DIN,false,KuaiSAR,0.1,0.2,0.3,0.4,0.5\n", `line 2: field task: "ads"`, false},
		{"bad joint", header1 + "rec,DIN,maybe,KuaiSAR,0.1,0.2,0.3,0.4,0.5\n", `line 2: field joint: "maybe"`, false},
		{"table 2 value", "variant,rec_NDCG@5,rec_NDCG@10,search_NDCG@5,search_NDCG@10,overall_NDCG@5,overall_NDCG@10\nfull,0.1,0.2,0.3,0.4,-0.5,0.6\n", "line 2: field overall_NDCG@5", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.table2 {
				_, err = parseTable2("t.csv", tc.text)
			} else {
				_, err = parseTable1("t.csv", tc.text)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "t.csv") {
				t.Errorf("error %q does not contain the file name and %q", err, tc.want)
			}
		})
	}
}
