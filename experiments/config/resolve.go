package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/experiments/train"
)

// seedReason explains why no layer may set a seed key.
const seedReason = "the experiment seed sets it; use seeds = [...] in the experiment file or --seeds"

// RunSpec is the input of Resolve for one run.
type RunSpec struct {
	// Model is the registry name; its [model.<Model>] tables apply to Options.
	Model string
	// Options points to the model's options struct, already holding the model layer: the
	// model's defaults with its variant applied. Resolve decodes the layers into it.
	Options any
	// Reserved maps option keys that no layer may set to the reason (a "seed" key that the
	// experiment seed fills).
	Reserved map[string]string
	// ModelLayer holds the model's own [train] and [prep] settings; nil for none.
	ModelLayer *Layer
	// Dataset names the [data.<name>] table.
	Dataset string
	// Seed is the experiment seed: it sets train.seed and prep.seed, and the data seed unless
	// a layer sets data.<name>.seed.
	Seed uint64
	// Layers are the layers above the dataset layer, lowest first: the experiment file, a
	// sweep point, a profile, the command line.
	Layers []*Layer
}

// Resolved is the configuration of one run after every layer is applied and validated.
type Resolved struct {
	Train  train.Config
	Prep   prep.Options
	Spec   source.Spec
	Family string
	// Options is RunSpec.Options with the layers applied.
	Options any
	// Values holds the sections "train", "prep", "data" and "model" as flat snake_case keys,
	// with the types a TOML file gives them.
	Values map[string]Tree
	// Origin maps each dotted key set above the defaults ("train.epochs") to the name of the
	// last layer that set it.
	Origin map[string]string
}

// Resolve applies the layers in order to the defaults and validates the result. The dataset
// layer is the family profile of the resolved dataset. It returns an error naming the layer,
// line and key of an unknown, reserved or mistyped key, or the layers behind a value that the
// section's Validate rejects.
func Resolve(rs RunSpec) (*Resolved, error) {
	origin := map[string]string{}
	data, err := resolveData(rs.Dataset, rs.Layers, rs.Seed, origin)
	if err != nil {
		return nil, err
	}
	family, err := familyLayer(data.family)
	if err != nil {
		return nil, err
	}
	layers := append([]*Layer{family}, rs.Layers...)
	if rs.ModelLayer != nil {
		layers = append([]*Layer{rs.ModelLayer}, layers...)
	}
	r := &Resolved{
		Train: train.DefaultConfig(), Prep: prep.DefaultOptions(), Spec: data.spec, Family: data.family,
		Options: rs.Options, Origin: origin,
	}
	if err := r.applyLayers(rs, layers); err != nil {
		return nil, err
	}
	r.Train.Seed, r.Prep.Seed = rs.Seed, rs.Seed
	if err := r.validate(rs.Model); err != nil {
		return nil, err
	}
	r.Values = map[string]Tree{"data": data.values}
	for name, src := range map[string]any{"train": &r.Train, "prep": &r.Prep, "model": r.Options} {
		if r.Values[name], err = flatten(src); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// applyLayers decodes each layer's train, prep and model tables.
func (r *Resolved) applyLayers(rs RunSpec, layers []*Layer) error {
	seedOnly := map[string]string{"seed": seedReason}
	trainSection := section{path: []string{"train"}, dst: &r.Train, reserved: seedOnly}
	prepSection := section{path: []string{"prep"}, dst: &r.Prep, reserved: seedOnly}
	modelSection := section{path: []string{"model", rs.Model}, dst: rs.Options, reserved: rs.Reserved}
	for _, l := range layers {
		if err := trainSection.apply(l, l.Train, r.Origin); err != nil {
			return err
		}
		if err := prepSection.apply(l, l.Prep, r.Origin); err != nil {
			return err
		}
		if err := modelSection.apply(l, l.Model[rs.Model], r.Origin); err != nil {
			return err
		}
	}
	return nil
}

// validate runs the Validate method of each section, naming the layers behind a failure.
func (r *Resolved) validate(model string) error {
	if err := r.Train.Validate(); err != nil {
		return fmt.Errorf("invalid [train] settings (%s): %w", setBy(r.Origin, "train."), err)
	}
	if err := r.Prep.Validate(); err != nil {
		return fmt.Errorf("invalid [prep] settings (%s): %w", setBy(r.Origin, "prep."), err)
	}
	if v, ok := r.Options.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("invalid [model.%s] settings (%s): %w", model, setBy(r.Origin, "model."+model+"."), err)
		}
	}
	return nil
}

// CheckNames returns an error when a layer has a [model.<name>] table for a model that is not
// in models, or a [data.<name>] table for a dataset that is not in datasets; a typo there
// would otherwise be ignored.
func CheckNames(layers []*Layer, models, datasets []string) error {
	for _, l := range layers {
		for _, name := range slices.Sorted(maps.Keys(l.Model)) {
			if !slices.Contains(models, name) {
				return l.errorf([]string{"model", name}, "", "unknown model %q: known models are %s", name, strings.Join(models, ", "))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(l.Data)) {
			if !slices.Contains(datasets, name) {
				return l.errorf([]string{"data", name}, "", "unknown dataset %q: the experiment's datasets are %s", name, strings.Join(datasets, ", "))
			}
		}
	}
	return nil
}
