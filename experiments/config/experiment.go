package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Experiment is a parsed experiment file: which models run on which datasets under which
// seeds, with the file's settings as one layer.
type Experiment struct {
	// Name is the experiment's name ("table1"), used for the results folder.
	Name string
	// Description is the file's one-line summary.
	Description string
	// Seeds lists the experiment seeds; each seed fixes the data split, the evaluation
	// negatives, the training streams and the model initialisation of every run.
	Seeds []uint64
	// Models lists the models to run, in file order.
	Models []ModelRef
	// Datasets lists the names of the file's [data.<name>] tables in file order.
	Datasets []string
	// Sweeps lists the file's [[sweep]] entries; their points are run in addition to each
	// other, not as a grid.
	Sweeps []Sweep
	// Layer holds the file's [train], [prep], [data.*] and [model.*] settings.
	Layer *Layer
}

// ModelRef names a registry model and optionally one of its variants ("dhim:no-rec-long").
type ModelRef struct {
	Name    string
	Variant string
}

// String returns "name" or "name:variant".
func (m ModelRef) String() string {
	if m.Variant == "" {
		return m.Name
	}
	return m.Name + ":" + m.Variant
}

// ParseModelRef splits "name" or "name:variant".
func ParseModelRef(s string) (ModelRef, error) {
	name, variant, _ := strings.Cut(strings.TrimSpace(s), ":")
	if name == "" || strings.Contains(variant, ":") {
		return ModelRef{}, fmt.Errorf("invalid model %q: want a registry name such as dhim, or name:variant such as dhim:no-rec-long", s)
	}
	return ModelRef{Name: name, Variant: variant}, nil
}

// Sweep is one swept setting: every value of Values is one point, set at Key.
type Sweep struct {
	// Name labels the swept parameter in result records ("k_rec").
	Name string
	// Key is the dotted key the sweep sets ("model.dhim.rec_short_k").
	Key string
	// Values are the points in file order.
	Values []any
}

// Point returns the layer that sets the sweep's key to Values[i].
func (s Sweep) Point(i int) *Layer {
	l := &Layer{Name: fmt.Sprintf("sweep %s=%s", s.Name, formatValue(s.Values[i]))}
	_ = l.Set(s.Key, s.Values[i]) // the key was checked by ParseExperiment
	return l
}

// experimentKeys are the top-level keys an experiment file may hold besides the sections.
var experimentKeys = []string{"description", "models", "seeds", "sweep"}

// ParseExperiment reads an experiment file. file names it in errors and as the layer's name.
// It returns an error naming the file, line and key for invalid TOML, an unknown top-level key
// or section, and missing or malformed seeds, models, data tables or sweeps.
func ParseExperiment(name, file string, text []byte) (*Experiment, error) {
	var doc Tree
	md, err := toml.Decode(string(text), &doc)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid TOML: %w", file, err)
	}
	layer, err := layerFromTree(file, string(text), doc, experimentKeys)
	if err != nil {
		return nil, err
	}
	e := &Experiment{Name: name, Layer: layer}
	if d, ok := doc["description"].(string); ok {
		e.Description = d
	} else if doc["description"] != nil {
		return nil, layer.errorf(nil, "description", "description must be a string")
	}
	if e.Seeds, err = parseSeeds(layer, doc["seeds"]); err != nil {
		return nil, err
	}
	if e.Models, err = parseModels(layer, doc["models"]); err != nil {
		return nil, err
	}
	for _, k := range md.Keys() {
		if len(k) == 2 && k[0] == "data" {
			e.Datasets = append(e.Datasets, k[1])
		}
	}
	if len(e.Datasets) == 0 {
		return nil, fmt.Errorf("%s: no datasets: add at least one [data.<name>] table, such as [data.kuaisar] with source = \"synthetic\"", file)
	}
	if e.Sweeps, err = parseSweeps(layer, doc["sweep"]); err != nil {
		return nil, err
	}
	return e, nil
}

func parseSeeds(l *Layer, v any) ([]uint64, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, l.errorf(nil, "seeds", "seeds must be a non-empty list of positive integers, such as seeds = [1]")
	}
	seeds := make([]uint64, 0, len(list))
	for _, s := range list {
		n, ok := s.(int64)
		if !ok || n < 1 {
			return nil, l.errorf(nil, "seeds", "seed %s is invalid: want a positive integer", formatValue(s))
		}
		if slices.Contains(seeds, uint64(n)) {
			return nil, l.errorf(nil, "seeds", "seed %d is listed twice", n)
		}
		seeds = append(seeds, uint64(n))
	}
	return seeds, nil
}

func parseModels(l *Layer, v any) ([]ModelRef, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, l.errorf(nil, "models", `models must be a non-empty list of registry names, such as models = ["pop", "dhim"]`)
	}
	refs := make([]ModelRef, 0, len(list))
	for _, m := range list {
		s, ok := m.(string)
		if !ok {
			return nil, l.errorf(nil, "models", "model %s is invalid: want a string", formatValue(m))
		}
		ref, err := ParseModelRef(s)
		if err != nil {
			return nil, l.errorf(nil, "models", "%w", err)
		}
		if slices.Contains(refs, ref) {
			return nil, l.errorf(nil, "models", "model %q is listed twice", s)
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// sweepKeys are the keys of one [[sweep]] entry.
var sweepKeys = []string{"key", "name", "values"}

func parseSweeps(l *Layer, v any) ([]Sweep, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]map[string]any)
	if !ok {
		return nil, l.errorf(nil, "sweep", "sweep must be an array of tables ([[sweep]]), not %T", v)
	}
	var sweeps []Sweep
	for i, t := range list {
		for key := range t {
			if !slices.Contains(sweepKeys, key) {
				return nil, l.errorf([]string{"sweep"}, key, "sweep %d: unknown key %q: accepted keys are %s", i+1, key, strings.Join(sweepKeys, ", "))
			}
		}
		name, _ := t["name"].(string)
		key, _ := t["key"].(string)
		values, _ := t["values"].([]any)
		if name == "" || key == "" || len(values) == 0 {
			return nil, l.errorf([]string{"sweep"}, "", "sweep %d needs name (a label such as \"k_rec\"), key (such as \"model.dhim.rec_short_k\") and a non-empty values list", i+1)
		}
		if err := (&Layer{}).Set(key, values[0]); err != nil {
			return nil, l.errorf([]string{"sweep"}, "key", "sweep %q: %w", name, err)
		}
		if slices.ContainsFunc(sweeps, func(s Sweep) bool { return s.Name == name }) {
			return nil, l.errorf([]string{"sweep"}, "name", "sweep name %q is used twice", name)
		}
		sweeps = append(sweeps, Sweep{Name: name, Key: key, Values: values})
	}
	return sweeps, nil
}
