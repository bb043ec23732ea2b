// Package paper carries the published results of the DHIM paper (AAAI 2026) as data, so that
// reports can compare a run's numbers with the paper's without the paper at hand.
//
// table1.csv holds the main comparison (HR@1, HR@5, HR@10, NDCG@5 and NDCG@10 per task, method
// and dataset), and table2.csv the ablations on KuaiSAR (NDCG@5 and NDCG@10 per task and
// overall). Both files are embedded in the binary. Metric keys are lowercase, as in
// experiments/protocol ("hr@1", "ndcg@10").
package paper

import (
	_ "embed"
)

//go:embed table1.csv
var table1CSV string

//go:embed table2.csv
var table2CSV string

// Table1Row is one row of the paper's Table 1: one method on one task of one dataset.
type Table1Row struct {
	// Task is "rec" or "search", the scope names of experiments/protocol.
	Task string
	// Method is the method's name as the paper prints it ("DIN", "FMLP-Rec", "DHIM").
	Method string
	// Joint is true for a model trained on search and recommendation together.
	Joint bool
	// Dataset is "KuaiSAR" or "Amazon".
	Dataset string
	// Values maps each metric key ("hr@1", ..., "ndcg@10") to the published value.
	Values map[string]float64
}

// Table2Row is one row of the paper's Table 2, an ablation of DHIM on KuaiSAR.
type Table2Row struct {
	// Variant is the row label of the CSV file: "full" for the full model, otherwise the
	// paper's label ("w/o rec-long", "only Rec/Src").
	Variant string
	// Values maps each scope ("rec", "search", "overall") to metric keys ("ndcg@5",
	// "ndcg@10") and their published values.
	Values map[string]map[string]float64
}

// Table1Metrics lists the metric keys of Table 1 in column order.
func Table1Metrics() []string {
	return []string{"hr@1", "hr@5", "hr@10", "ndcg@5", "ndcg@10"}
}

// Table2Metrics lists the metric keys of Table 2 in column order, within each scope.
func Table2Metrics() []string {
	return []string{"ndcg@5", "ndcg@10"}
}

// Table2Scopes lists the scopes of Table 2 in column order.
func Table2Scopes() []string {
	return []string{"rec", "search", "overall"}
}

// Table1 parses the embedded table1.csv. It fails only if the embedded file is malformed, and
// the error names the line and field.
func Table1() ([]Table1Row, error) {
	return parseTable1("table1.csv", table1CSV)
}

// Table2 parses the embedded table2.csv. It fails only if the embedded file is malformed, and
// the error names the line and field.
func Table2() ([]Table2Row, error) {
	return parseTable2("table2.csv", table2CSV)
}
