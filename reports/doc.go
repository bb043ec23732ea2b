// Package reports turns result records into the figures a reader of the DHIM paper compares:
// it groups the runs of one configuration over seeds, averages their metrics and tests whether
// one configuration beats another on the same test cases.
//
// The subpackages render what this package computes: table (Table 1 and Table 2 as LaTeX,
// Markdown and terminal tables), plot (parameter sweeps and learning curves as PNG and SVG) and
// paperdiff (our numbers beside the paper's, and the paper's claims checked on our runs).
package reports
