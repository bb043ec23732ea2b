// Package plot draws the harness's figures from result records: metric against a swept
// parameter (the K window, γ) per task with error bars over seeds, and learning curves of the
// validation metric per epoch. Each figure is written as PNG and SVG with atomic writes.
//
// A parameter whose positive values span two decades or more is drawn on a log axis. Zero has
// no place on a log axis, so a zero value is drawn one decade below the smallest positive
// value, its tick labelled "0" and a dashed vertical line separating it from the log-scaled
// values.
package plot
