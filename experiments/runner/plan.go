package runner

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
)

// PlanOptions holds the command line's choices for Plan. The zero value runs the experiment
// file as written.
type PlanOptions struct {
	// Profile names a built-in profile ("quick"); its runs go to the results folder
	// "<experiment>-<profile>", so they never mix with full runs.
	Profile string
	// Seeds replaces the file's seeds when non-empty.
	Seeds []uint64
	// Models keeps only the listed models ("dhim", or "dhim:no-rec-long" for one variant)
	// when non-empty.
	Models []string
	// Sets holds --set key=value overrides in command-line order.
	Sets []string
	// DataPath sets the path of every dataset whose source is not synthetic.
	DataPath string
	// Workers sets train.workers when positive.
	Workers int
	// Pending lists model names to skip with a warning instead of rejecting as unknown
	// (registry.Pending for the default registry).
	Pending []string
	// Logger receives the warnings; nil means slog.Default().
	Logger *slog.Logger
}

// Run is one planned run: a model on a dataset with a seed and a sweep point, fully resolved.
type Run struct {
	// ID is stable for the resolved configuration: "dhim-kuaisar-s1-1a2b3c4d".
	ID string
	// Experiment is the results folder name: the experiment's name, plus "-<profile>".
	Experiment string
	Model      string
	Variant    string
	Label      string
	// Dataset is the experiment's name of the dataset ("kuaisar").
	Dataset string
	Seed    uint64
	// Sweep holds the value of every swept key of the experiment that applies to this run.
	Sweep map[string]float64
	// Config is the resolved configuration.
	Config *config.Resolved
	// Entry is the registry entry that builds the model.
	Entry registry.Entry
	// DataFingerprint is the hex hash of the real dataset's file contents and loader options
	// (source.Spec.DataFingerprint), part of the run id; empty for synthetic data.
	DataFingerprint string
}

// Plan expands exp into runs: for each dataset, seed, model and sweep point, in that nesting
// order, it resolves the configuration and derives the run id. Sweep points that resolve to
// the same configuration (a point of one sweep that equals a point of another, or any point
// for a model the swept key does not apply to) give one run. It hashes the files of every real
// dataset that has a path once, and returns an error naming a missing file. It returns an
// error for an unknown model, variant, dataset or key, or an invalid value; models listed in
// PlanOptions.Pending are skipped with a warning.
func Plan(exp *config.Experiment, reg *registry.Registry, o PlanOptions) ([]Run, error) {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	layers, err := o.layers(exp)
	if err != nil {
		return nil, err
	}
	refs, err := o.models(exp, reg, log)
	if err != nil {
		return nil, err
	}
	known := append(reg.Names(), o.Pending...)
	if err := config.CheckNames(layers, known, exp.Datasets); err != nil {
		return nil, err
	}
	seeds := exp.Seeds
	if len(o.Seeds) > 0 {
		seeds = o.Seeds
	}
	folder := exp.Name
	if o.Profile != "" {
		folder += "-" + o.Profile
	}
	p := planner{exp: exp, folder: folder, layers: layers, reg: reg, seen: map[string]bool{}, fingerprints: map[source.Spec]string{}}
	for _, ds := range exp.Datasets {
		for _, seed := range seeds {
			for _, ref := range refs {
				if err := p.add(ref, ds, seed); err != nil {
					return nil, err
				}
			}
		}
	}
	return p.runs, nil
}

// layers returns the layers above the dataset layer, lowest first, without a sweep point:
// the experiment file, the profile, --data-path, --workers and --set.
func (o PlanOptions) layers(exp *config.Experiment) ([]*config.Layer, error) {
	layers := []*config.Layer{exp.Layer}
	if o.Profile != "" {
		profile, err := config.Profile(o.Profile)
		if err != nil {
			return nil, err
		}
		layers = append(layers, profile)
	}
	sets := &config.Layer{Name: "--set"}
	for _, s := range o.Sets {
		if err := sets.ParseSet(s); err != nil {
			return nil, err
		}
	}
	cli := &config.Layer{Name: "--data-path and --workers"}
	if o.DataPath != "" {
		for _, ds := range exp.Datasets {
			if lastSource(append(slices.Clone(layers), sets), ds) != source.Synthetic {
				_ = cli.Set("data."+ds+".path", o.DataPath) // a three-part data key is always valid
			}
		}
	}
	if o.Workers > 0 {
		_ = cli.Set("train.workers", int64(o.Workers)) // a two-part train key is always valid
	}
	return append(layers, cli, sets), nil
}

// lastSource returns the source the last layer that sets data.<ds>.source gives.
func lastSource(layers []*config.Layer, ds string) string {
	src := source.Synthetic
	for _, l := range layers {
		if s, ok := l.Data[ds]["source"].(string); ok {
			src = s
		}
	}
	return src
}

// models returns the experiment's models after the --models filter, checked against the
// registry.
func (o PlanOptions) models(exp *config.Experiment, reg *registry.Registry, log *slog.Logger) ([]config.ModelRef, error) {
	var filter []config.ModelRef
	for _, s := range o.Models {
		ref, err := config.ParseModelRef(s)
		if err != nil {
			return nil, fmt.Errorf("--models: %w", err)
		}
		if !slices.ContainsFunc(exp.Models, func(m config.ModelRef) bool { return matches(ref, m) }) {
			return nil, fmt.Errorf("--models: %q is not a model of experiment %s, whose models are %s", s, exp.Name, refNames(exp.Models))
		}
		filter = append(filter, ref)
	}
	var out, pending []config.ModelRef
	for _, m := range exp.Models {
		if len(filter) > 0 && !slices.ContainsFunc(filter, func(f config.ModelRef) bool { return matches(f, m) }) {
			continue
		}
		if _, ok := reg.Lookup(m.Name); !ok && slices.Contains(o.Pending, m.Name) {
			pending = append(pending, m)
			continue
		}
		entry, err := reg.Get(m.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", exp.Layer.Name, err)
		}
		if _, err := entry.VariantLabel(m.Variant); err != nil {
			return nil, fmt.Errorf("%s: %w", exp.Layer.Name, err)
		}
		out = append(out, m)
	}
	if len(pending) > 0 {
		log.Warn("skipping models that are not implemented yet", "experiment", exp.Name, "models", refNames(pending))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("experiment %s has no model to run (skipped models not implemented yet: %s)", exp.Name, refNames(pending))
	}
	return out, nil
}

// matches reports whether filter f selects model m: same name, and same variant unless f
// names none.
func matches(f, m config.ModelRef) bool {
	return f.Name == m.Name && (f.Variant == "" || f.Variant == m.Variant)
}

func refNames(refs []config.ModelRef) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.String()
	}
	return strings.Join(names, ", ")
}
