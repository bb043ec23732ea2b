// Package registry maps the stable model names used in experiment files ("dhim", "unisar",
// "din") to what the runner needs: the display label of the DHIM paper's tables, the tasks the
// model trains, its default options with toml tags, its variants, and a constructor.
//
// A Registry is an immutable value: Default returns one with every model of the harness, and
// tests build their own with New.
package registry

import (
	"fmt"
	"slices"
	"strings"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/train"
)

// Variant is a named preset of a model, such as one row of an ablation table.
type Variant struct {
	// Name is the machine name used after the colon in experiment files ("no-rec-long").
	Name string
	// Label is the row label of the tables ("w/o rec-long").
	Label string
}

// Spec describes one model for Define. O is the model's options struct; its toml tags are the
// keys of the [model.<name>] tables.
type Spec[O any] struct {
	// Name is the stable registry name ("dhim").
	Name string
	// Label is the display name used in the DHIM paper's Table 1 ("DHIM").
	Label string
	// Tasks lists the tasks the default variant trains.
	Tasks []datasets.Kind
	// Variants lists the named presets besides the default (empty name).
	Variants []Variant
	// Options returns the options of a variant; "" is the default. Define rejects variants
	// not listed in Variants before calling it.
	Options func(variant string) (O, error)
	// Build constructs the model for prepared data with weights drawn from seed.
	Build func(data *prep.Prepared, opts O, seed uint64) (train.Model, error)
	// SeedKey names the option key that holds the initialisation seed, if O has one. Build
	// must set it from its seed argument, so no layer may set it.
	SeedKey string
	// Reference marks a non-learned floor such as the popularity ranker. It scores each task
	// from that task's own counts, so it is never reported as jointly trained.
	Reference bool
	// Cost is the model's training time per epoch relative to the others'. The runner starts
	// the costliest runs first when several run at once and weights its estimate of the time
	// left by it. The registry's values are seconds per epoch on the KuaiSAR-like default data
	// at batch 256 with one worker.
	Cost float64
}

// Entry is one registered model. Build one with Define.
type Entry struct {
	Name     string
	Label    string
	Tasks    []datasets.Kind
	Variants []Variant
	// Reference marks a non-learned floor (see Spec.Reference).
	Reference bool
	// Cost orders runs and weights the time estimate (see Spec.Cost).
	Cost    float64
	seedKey string
	options func(variant string) (any, error)
	build   func(data *prep.Prepared, opts any, seed uint64) (train.Model, error)
}

// Define turns a typed Spec into an Entry. It panics when Name, Label, Tasks, Options or
// Build is missing, because that is a programming error in the registration.
func Define[O any](s Spec[O]) Entry {
	if s.Name == "" || s.Label == "" || len(s.Tasks) == 0 || s.Options == nil || s.Build == nil {
		panic(fmt.Sprintf("registry: model %q needs a name, a label, tasks, Options and Build", s.Name))
	}
	return Entry{
		Name: s.Name, Label: s.Label, Tasks: s.Tasks, Variants: s.Variants, seedKey: s.SeedKey, Reference: s.Reference, Cost: s.Cost,
		options: func(variant string) (any, error) {
			o, err := s.Options(variant)
			if err != nil {
				return nil, err
			}
			return &o, nil
		},
		build: func(data *prep.Prepared, opts any, seed uint64) (train.Model, error) {
			o, ok := opts.(*O)
			if !ok {
				return nil, fmt.Errorf("registry: model %s needs options of type *%T, got %T", s.Name, *new(O), opts)
			}
			return s.Build(data, *o, seed)
		},
	}
}

// Joint reports whether the default variant trains search and recommendation together.
// A reference ranker is never joint.
func (e Entry) Joint() bool { return len(e.Tasks) == 2 && !e.Reference }

// Options returns a pointer to a fresh options struct of the variant ("" for the default).
// It returns an error listing the variants when variant is unknown.
func (e Entry) Options(variant string) (any, error) {
	if _, err := e.VariantLabel(variant); err != nil {
		return nil, err
	}
	o, err := e.options(variant)
	if err != nil {
		return nil, fmt.Errorf("model %s variant %q: %w", e.Name, variant, err)
	}
	return o, nil
}

// VariantLabel returns the display label of a variant, or the model's Label for "".
func (e Entry) VariantLabel(variant string) (string, error) {
	if variant == "" {
		return e.Label, nil
	}
	for _, v := range e.Variants {
		if v.Name == variant {
			return v.Label, nil
		}
	}
	if len(e.Variants) == 0 {
		return "", fmt.Errorf("model %s has no variants; remove %q after the colon", e.Name, ":"+variant)
	}
	names := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		names[i] = v.Name
	}
	return "", fmt.Errorf("model %s has no variant %q: use one of %s", e.Name, variant, strings.Join(names, ", "))
}

// SeedKey returns the option key that the run seed fills, or "" when the options have none.
func (e Entry) SeedKey() string { return e.seedKey }

// Reserved returns the option keys no configuration layer may set, with the reason.
func (e Entry) Reserved() map[string]string {
	if e.seedKey == "" {
		return nil
	}
	return map[string]string{e.seedKey: "the experiment seed sets it; use seeds = [...] in the experiment file or --seeds"}
}

// Build constructs the model. opts must come from Options of the same entry.
func (e Entry) Build(data *prep.Prepared, opts any, seed uint64) (train.Model, error) {
	return e.build(data, opts, seed)
}

// Registry is an ordered set of entries with unique names.
type Registry struct {
	entries []Entry
}

// New returns a registry of the entries in the given order. It returns an error for a repeated
// name.
func New(entries ...Entry) (*Registry, error) {
	r := &Registry{}
	for _, e := range entries {
		if _, ok := r.Lookup(e.Name); ok {
			return nil, fmt.Errorf("registry: model %q is registered twice", e.Name)
		}
		r.entries = append(r.entries, e)
	}
	return r, nil
}

// Lookup returns the entry of a name.
func (r *Registry) Lookup(name string) (Entry, bool) {
	i := slices.IndexFunc(r.entries, func(e Entry) bool { return e.Name == name })
	if i < 0 {
		return Entry{}, false
	}
	return r.entries[i], true
}

// Get returns the entry of a name, or an error listing the registered names.
func (r *Registry) Get(name string) (Entry, error) {
	e, ok := r.Lookup(name)
	if !ok {
		return Entry{}, fmt.Errorf("unknown model %q: registered models are %s", name, strings.Join(r.Names(), ", "))
	}
	return e, nil
}

// Names returns the registered names in registration order.
func (r *Registry) Names() []string {
	out := make([]string, len(r.entries))
	for i, e := range r.entries {
		out[i] = e.Name
	}
	return out
}

// Entries returns the entries in registration order.
func (r *Registry) Entries() []Entry { return slices.Clone(r.entries) }
