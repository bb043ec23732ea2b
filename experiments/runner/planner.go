package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
)

// planner accumulates the runs of one experiment.
type planner struct {
	exp    *config.Experiment
	folder string
	// layers are the layers above the dataset layer; the sweep point goes after the first
	// one, the experiment file.
	layers []*config.Layer
	reg    *registry.Registry
	seen   map[string]bool
	runs   []Run
	// fingerprints caches the DataFingerprint of each real dataset spec, so each dataset's files
	// are hashed once per plan.
	fingerprints map[source.Spec]string
}

// dataFingerprint returns the DataFingerprint of a real dataset with a path, or "" for
// synthetic data and for a real dataset without a path, which Execute rejects before any run.
func (p *planner) dataFingerprint(dataset string, spec source.Spec) (string, error) {
	if spec.Source == source.Synthetic || spec.Path == "" {
		return "", nil
	}
	spec.Synthetic = nil
	if fp, ok := p.fingerprints[spec]; ok {
		return fp, nil
	}
	fp, err := spec.DataFingerprint()
	if err != nil {
		return "", fmt.Errorf("experiment %s, dataset %s: %w", p.exp.Name, dataset, err)
	}
	p.fingerprints[spec] = fp
	return fp, nil
}

// points returns one layer per sweep point, or a single nil layer without sweeps.
func (p *planner) points() []*config.Layer {
	var out []*config.Layer
	for _, s := range p.exp.Sweeps {
		for i := range s.Values {
			out = append(out, s.Point(i))
		}
	}
	if len(out) == 0 {
		return []*config.Layer{nil}
	}
	return out
}

// add resolves the runs of one model, dataset and seed over the sweep points.
func (p *planner) add(ref config.ModelRef, dataset string, seed uint64) error {
	entry, err := p.reg.Get(ref.Name)
	if err != nil {
		return err
	}
	label, err := entry.VariantLabel(ref.Variant)
	if err != nil {
		return err
	}
	for _, point := range p.points() {
		layers := slices.Clone(p.layers)
		if point != nil {
			layers = slices.Insert(layers, 1, point)
		}
		opts, err := entry.Options(ref.Variant)
		if err != nil {
			return err
		}
		resolved, err := config.Resolve(config.RunSpec{
			Model: ref.Name, Options: opts, Reserved: entry.Reserved(),
			Dataset: dataset, Seed: seed, Layers: layers,
		})
		if err != nil {
			return fmt.Errorf("experiment %s, model %s on %s with seed %d: %w", p.exp.Name, ref, dataset, seed, err)
		}
		if key := entry.SeedKey(); key != "" {
			resolved.Values["model"][key] = int64(seed) // Build sets it from the run seed
		}
		dataFP, err := p.dataFingerprint(dataset, resolved.Spec)
		if err != nil {
			return err
		}
		id, err := runID(ref.Name, ref.Variant, dataset, seed, resolved.Values, dataFP)
		if err != nil {
			return err
		}
		if p.seen[id] {
			continue
		}
		p.seen[id] = true
		p.runs = append(p.runs, Run{
			ID: id, Experiment: p.folder, Model: ref.Name, Variant: ref.Variant, Label: label,
			Dataset: dataset, Seed: seed, Sweep: p.sweepValues(ref.Name, dataset, resolved),
			Config: resolved, Entry: entry, DataFingerprint: dataFP,
		})
	}
	return nil
}

// sweepValues returns the resolved value of each swept key that applies to the run.
func (p *planner) sweepValues(model, dataset string, r *config.Resolved) map[string]float64 {
	out := map[string]float64{}
	for _, s := range p.exp.Sweeps {
		parts := strings.Split(s.Key, ".")
		section, key := parts[0], parts[len(parts)-1]
		if len(parts) == 3 && ((section == "model" && parts[1] != model) || (section == "data" && parts[1] != dataset)) {
			continue
		}
		if v, ok := toFloat(r.Values[section][key]); ok {
			out[s.Name] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}
