package main

import (
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/experiments"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
	"github.com/srbench/srbench/experiments/runner"
)

func newListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the embedded experiments with their run counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg := registry.Default()
			quiet := slog.New(slog.DiscardHandler)
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "EXPERIMENT\tRUNS\tMODELS\tDATASETS\tSEEDS\tDESCRIPTION")
			for _, name := range experiments.Names() {
				exp, err := loadExperiment(name)
				if err != nil {
					return err
				}
				runs, err := runner.Plan(exp, reg, runner.PlanOptions{Pending: registry.Pending(), Logger: quiet})
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%v\t%s\n", name, len(runs), modelsCell(exp, reg),
					strings.Join(exp.Datasets, ","), exp.Seeds, exp.Description)
			}
			return tw.Flush()
		},
	}
}

// modelsCell counts the experiment's models and names those not implemented yet.
func modelsCell(exp *config.Experiment, reg *registry.Registry) string {
	var missing []string
	for _, m := range exp.Models {
		if _, ok := reg.Lookup(m.Name); !ok {
			missing = append(missing, m.Name)
		}
	}
	if len(missing) == 0 {
		return fmt.Sprint(len(exp.Models))
	}
	return fmt.Sprintf("%d (not implemented: %s)", len(exp.Models), strings.Join(missing, ","))
}
