// Package paperdiff compares the harness's results with the numbers the DHIM paper publishes
// and checks the paper's main claims on the harness's results.
//
// A run maps to a paper column through its record's Family ("KuaiSAR" or "Amazon") and to a
// paper row through its label or model name (Table 1) or its variant (Table 2). Gaps to the
// paper are reported, never treated as errors: synthetic data is not expected to reproduce
// the published values.
package paperdiff
