package experiments_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/srbench/srbench/experiments"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
	"github.com/srbench/srbench/experiments/runner"
)

// TestFilesPlan checks that every embedded experiment parses and plans with the default
// registry, with and without the quick profile, and that the run counts match the design.
func TestFilesPlan(t *testing.T) {
	want := map[string]int{"ablation": 13, "sweep-k": 10, "sweep-gamma": 8}
	reg := registry.Default()
	for _, name := range experiments.Names() {
		text, file, err := experiments.Read(name)
		if err != nil {
			t.Fatal(err)
		}
		exp, err := config.ParseExperiment(name, file, text)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, profile := range []string{"", "quick"} {
			runs, err := runner.Plan(exp, reg, runner.PlanOptions{Profile: profile, Pending: registry.Pending(),
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Errorf("%s (profile %q): %v", name, profile, err)
				continue
			}
			if n, ok := want[name]; ok && len(runs) != n {
				t.Errorf("%s (profile %q): %d runs, want %d", name, profile, len(runs), n)
			}
		}
	}
	if _, _, err := experiments.Read("table9"); err == nil {
		t.Error("Read of an unknown experiment succeeded")
	}
}

func TestTable1Models(t *testing.T) {
	text, file, _ := experiments.Read("table1")
	exp, err := config.ParseExperiment("table1", file, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Models) != 11 || len(exp.Datasets) != 2 {
		t.Errorf("table1 has %d models and %d datasets, want 11 (ten methods and pop) and 2", len(exp.Models), len(exp.Datasets))
	}
}
