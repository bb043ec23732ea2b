// Package table builds the DHIM paper's result tables from result records and renders them as
// LaTeX (booktabs), Markdown and terminal tables.
//
// Table 1 compares methods per task (row groups) and dataset (column groups) on HR@1, HR@5,
// HR@10, NDCG@5 and NDCG@10. Table 2 compares ablation variants on NDCG@5 and NDCG@10 per
// task and overall. In every column of a row group the best value is bold and the second best
// underlined, compared at the printed precision so that equal printed values share the mark.
// A star marks a unique best value that is significantly better (p below Options.Alpha) than
// every second-best value by reports.Compare.
package table
