package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/srbench/srbench/experiments"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
	"github.com/srbench/srbench/experiments/runner"
)

// planFlags are the flags that change which runs an experiment expands to. Run and status
// share them, so that status finds the run ids that run writes.
type planFlags struct {
	profile    string
	seeds      string
	models     string
	sets       []string
	dataPath   string
	workers    int
	resultsDir string
	// flags is the flag set register filled, to tell an empty --models from an absent one.
	flags *pflag.FlagSet
}

func (f *planFlags) register(fs *pflag.FlagSet) {
	f.flags = fs
	fs.StringVar(&f.profile, "profile", "", fmt.Sprintf("settings profile applied above the experiment file: one of %q; its runs go to results/<experiment>-<profile>", config.Profiles()))
	fs.StringVar(&f.seeds, "seeds", "", "comma-separated experiment seeds replacing the file's, such as 1,2,3")
	fs.StringVar(&f.models, "models", "", "comma-separated models to keep, such as pop,dhim or dhim:no-csf (default: all of the file's)")
	fs.StringArrayVar(&f.sets, "set", nil, "override a setting, such as train.epochs=10, data.kuaisar.users=500 or model.dhim.gamma=0.01 (repeatable)")
	fs.StringVar(&f.dataPath, "data-path", "", "directory of the files of every real (non-synthetic) dataset of the experiment")
	fs.IntVar(&f.workers, "workers", 0, "data-parallel workers per run (train.workers); results depend on it (0 = the configured value, 1 by default)")
	fs.StringVar(&f.resultsDir, "results", "results", "results root: records go to <results>/<experiment>/<run id>.json")
}

// plan loads the experiment named by arg (an embedded name or a .toml path) and expands it.
func (f *planFlags) plan(arg string) (*config.Experiment, []runner.Run, error) {
	if err := f.validate(); err != nil {
		return nil, nil, err
	}
	exp, err := loadExperiment(arg)
	if err != nil {
		return nil, nil, err
	}
	seeds, err := parseSeeds(f.seeds)
	if err != nil {
		return nil, nil, err
	}
	opts := runner.PlanOptions{
		Profile: f.profile, Seeds: seeds, Models: splitList(f.models), Sets: f.sets,
		DataPath: f.dataPath, Workers: f.workers, Pending: registry.Pending(),
	}
	runs, err := runner.Plan(exp, registry.Default(), opts)
	if err != nil {
		return nil, nil, err
	}
	return exp, runs, nil
}

// validate rejects flag values that plan would otherwise read as a default.
func (f *planFlags) validate() error {
	if f.workers < 0 {
		return fmt.Errorf("invalid --workers %d: use 1 or more, or 0 for the configured value", f.workers)
	}
	if f.flags != nil && f.flags.Changed("models") && len(splitList(f.models)) == 0 {
		return fmt.Errorf("invalid --models %q: name at least one model, or omit the flag to run all models", f.models)
	}
	return nil
}

// loadExperiment reads an embedded experiment by name, or a file when arg ends in .toml.
func loadExperiment(arg string) (*config.Experiment, error) {
	if strings.HasSuffix(arg, ".toml") {
		text, err := os.ReadFile(arg)
		if err != nil {
			return nil, fmt.Errorf("reading experiment file: %w", err)
		}
		return config.ParseExperiment(strings.TrimSuffix(filepath.Base(arg), ".toml"), arg, text)
	}
	text, file, err := experiments.Read(arg)
	if err != nil {
		return nil, err
	}
	return config.ParseExperiment(arg, file, text)
}

func parseSeeds(s string) ([]uint64, error) {
	var seeds []uint64
	for _, part := range splitList(s) {
		n, err := strconv.ParseUint(part, 10, 64)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("invalid --seeds value %q: want positive integers separated by commas, such as 1,2,3", part)
		}
		seeds = append(seeds, n)
	}
	return seeds, nil
}

// splitList splits a comma-separated flag value, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
