package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/srbench/srbench/nn"
)

// globalFlags holds the flags every subcommand accepts.
type globalFlags struct {
	logLevel  string
	logFormat string
}

func newRootCommand() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:           "srbench",
		Short:         "A reproducible harness for unified search and recommendation (DHIM and its baselines)",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := setupLogging(g); err != nil {
				return err
			}
			warnBLASCore(os.Getenv("OPENBLAS_CORETYPE"), nn.DefaultBackend().Name())
			return nil
		},
	}
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "minimum log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format on stderr: text or json")
	root.AddCommand(newDataCommand(), newRunCommand(), newListCommand(), newStatusCommand(), newReportCommand(), newPlotCommand(), newDiffPaperCommand(), newCheckReproCommand())
	return root
}

// setupLogging installs the default slog logger on stderr, so that stdout carries only results.
func setupLogging(g globalFlags) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch strings.ToLower(g.logFormat) {
	case "text":
		h = slog.NewTextHandler(os.Stderr, opts)
	case "json":
		h = slog.NewJSONHandler(os.Stderr, opts)
	default:
		return fmt.Errorf("invalid --log-format %q: use text or json", g.logFormat)
	}
	slog.SetDefault(slog.New(h))
	return nil
}

// warnBLASCore logs a warning when OPENBLAS_CORETYPE requests a kernel set that OpenBLAS did not
// use: OpenBLAS 0.3.21 silently falls back to its own choice for an unknown name. backend is the
// backend's Name, "openblas/<kernels>" in OpenBLAS builds.
func warnBLASCore(requested, backend string) {
	used, isOpenBLAS := strings.CutPrefix(backend, "openblas/")
	if requested == "" || !isOpenBLAS || strings.EqualFold(requested, used) {
		return
	}
	slog.Warn("OpenBLAS ignored OPENBLAS_CORETYPE; check its spelling against OpenBLAS's core names",
		"OPENBLAS_CORETYPE", requested, "kernels", used)
}
