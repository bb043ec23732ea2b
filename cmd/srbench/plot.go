package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/plot"
)

func newPlotCommand() *cobra.Command {
	var resultsDir, outDir, metric string
	cmd := &cobra.Command{
		Use:   "plot EXPERIMENT",
		Short: "Draw an experiment's parameter sweeps and learning curves as PNG and SVG",
		Long: "Draw, for EXPERIMENT, one figure per swept parameter (test metric against the parameter per task,\n" +
			"error bars over seeds) and one learning-curve figure per dataset (validation metric per epoch).\n" +
			"A parameter whose positive values span two decades or more gets a log axis, with 0 drawn one\n" +
			"decade below the smallest positive value behind a dashed line.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := protocol.ParseMetric(metric)
			if err != nil {
				return fmt.Errorf("invalid --metric: %w", err)
			}
			if outDir == "" {
				outDir = filepath.Join("out", args[0])
			}
			return runPlot(cmd, args[0], resultsDir, outDir, m)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&resultsDir, "results", "results", "directory of result records, one folder per experiment")
	fs.StringVar(&outDir, "out", "", "directory for the PNG and SVG files (default out/EXPERIMENT)")
	fs.StringVar(&metric, "metric", "ndcg@5", "metric to plot, such as ndcg@5 or hr@10")
	return cmd
}

func runPlot(cmd *cobra.Command, experiment, resultsDir, outDir string, m protocol.Metric) error {
	groups, err := loadGroups(resultsDir, []string{experiment})
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		return fmt.Errorf("experiment %s has no finished runs under %s; run it first", experiment, resultsDir)
	}
	if err := checkMetric(groups, m); err != nil {
		return err
	}
	var figures []*plot.Figure
	for _, param := range plot.SweepParams(groups) {
		fig, err := plot.Sweep(groups, param, m)
		if err != nil {
			return err
		}
		figures = append(figures, fig)
	}
	curves, err := plot.LearningCurves(groups, m)
	if err != nil {
		slog.Warn("no learning curves", "experiment", experiment, "err", err)
	}
	figures = append(figures, curves...)
	for i, fig := range figures {
		paths, err := plot.Write(fig, outDir)
		if err != nil {
			return err
		}
		slog.Info("figure written", "figure", fig.Name, "done", fmt.Sprintf("%d/%d", i+1, len(figures)))
		for _, p := range paths {
			fmt.Fprintln(cmd.OutOrStdout(), p)
		}
	}
	return nil
}

// checkMetric returns an error listing the computed metrics when no run of groups computed m.
func checkMetric(groups []*reports.Group, m protocol.Metric) error {
	var computed []string
	for _, g := range groups {
		for _, r := range g.Runs {
			for _, have := range r.Train.Test.Metrics {
				if have == m {
					return nil
				}
				if !slices.Contains(computed, have.String()) {
					computed = append(computed, have.String())
				}
			}
		}
	}
	return fmt.Errorf("invalid --metric %s: the runs did not compute it; pass one of the computed metrics %s", m, strings.Join(computed, ", "))
}
