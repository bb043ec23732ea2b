package registry

import (
	"fmt"

	"github.com/srbench/srbench/baselines/aem"
	"github.com/srbench/srbench/baselines/bsarec"
	"github.com/srbench/srbench/baselines/din"
	"github.com/srbench/srbench/baselines/fmlprec"
	"github.com/srbench/srbench/baselines/mai"
	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/baselines/sesrec"
	"github.com/srbench/srbench/baselines/unifiedssr"
	"github.com/srbench/srbench/baselines/unisar"
	"github.com/srbench/srbench/baselines/zam"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/dhim"
	"github.com/srbench/srbench/experiments/train"
)

var (
	recOnly    = []datasets.Kind{datasets.Rec}
	searchOnly = []datasets.Kind{datasets.Search}
	both       = []datasets.Kind{datasets.Rec, datasets.Search}
)

// Each entry's Cost is its seconds per epoch in one seed of the table1 grid on the KuaiSAR-like
// default data (batch 256, one worker, 2-core Xeon, OpenBLAS on its generic kernels), measured
// on 2026-12-04. They order runs longest first and weight the runner's estimate of the time left,
// which is rough for other data sizes and profiles.

// Default returns the registry of every model of the harness, in the column order of the
// DHIM paper's Table 1 (recommendation models, search models, joint models), with the
// popularity ranker first.
func Default() *Registry {
	r, err := New(
		popEntry(),
		dinEntry(), fmlpEntry(), bsarecEntry(),
		aemEntry(), zamEntry(), maiEntry(),
		sesrecEntry(), unifiedssrEntry(), unisarEntry(), dhimEntry(),
	)
	if err != nil {
		panic(err) // the names above are distinct
	}
	return r
}

// PopOptions configures the popularity ranker.
type PopOptions struct {
	// Tasks is "both" (default), "rec" or "search".
	Tasks string `toml:"tasks"`
}

// Validate returns an error for an unknown Tasks value, listing the accepted ones.
func (o PopOptions) Validate() error {
	_, err := o.kinds()
	return err
}

func (o PopOptions) kinds() ([]datasets.Kind, error) {
	switch o.Tasks {
	case "both":
		return both, nil
	case "rec":
		return recOnly, nil
	case "search":
		return searchOnly, nil
	}
	return nil, fmt.Errorf("pop options: tasks = %q is invalid: use one of \"both\", \"rec\", \"search\"", o.Tasks)
}

func popEntry() Entry {
	return Define(Spec[PopOptions]{
		Name: "pop", Label: "Pop", Tasks: both, Reference: true,
		Options: func(string) (PopOptions, error) { return PopOptions{Tasks: "both"}, nil },
		Build: func(data *prep.Prepared, o PopOptions, _ uint64) (train.Model, error) {
			kinds, err := o.kinds()
			if err != nil {
				return nil, err
			}
			return pop.New(data, kinds...)
		},
	})
}

func dinEntry() Entry {
	return Define(Spec[din.Config]{
		Cost: 22,
		Name: "din", Label: "DIN", Tasks: recOnly, SeedKey: "seed",
		Options: func(string) (din.Config, error) { return din.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c din.Config, seed uint64) (train.Model, error) {
			c.Seed = seed
			return din.New(data, c)
		},
	})
}

func fmlpEntry() Entry {
	return Define(Spec[fmlprec.Config]{
		Cost: 22,
		Name: "fmlprec", Label: "FMLP-Rec", Tasks: recOnly, SeedKey: "seed",
		Options: func(string) (fmlprec.Config, error) { return fmlprec.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c fmlprec.Config, seed uint64) (train.Model, error) {
			c.Seed = seed
			return fmlprec.New(data, c)
		},
	})
}

func bsarecEntry() Entry {
	return Define(Spec[bsarec.Config]{
		Cost: 45,
		Name: "bsarec", Label: "BSARec", Tasks: recOnly, SeedKey: "seed",
		Options: func(string) (bsarec.Config, error) { return bsarec.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c bsarec.Config, seed uint64) (train.Model, error) {
			c.Seed = seed
			return bsarec.New(data, c)
		},
	})
}

func aemEntry() Entry {
	return Define(Spec[aem.Options]{
		Cost: 1,
		Name: "aem", Label: "AEM", Tasks: searchOnly,
		Options: func(string) (aem.Options, error) { return aem.DefaultOptions(), nil },
		Build: func(data *prep.Prepared, o aem.Options, seed uint64) (train.Model, error) {
			return aem.New("aem", data, o, seed)
		},
	})
}

func zamEntry() Entry {
	return Define(Spec[aem.Options]{
		Cost: 1,
		Name: zam.Name, Label: "ZAM", Tasks: searchOnly,
		Options: func(string) (aem.Options, error) { return zam.DefaultOptions(), nil },
		Build: func(data *prep.Prepared, o aem.Options, seed uint64) (train.Model, error) {
			return zam.New(data, o, seed)
		},
	})
}

func maiEntry() Entry {
	return Define(Spec[mai.Options]{
		Cost: 26,
		Name: "mai", Label: "MAI", Tasks: searchOnly,
		Options: func(string) (mai.Options, error) { return mai.DefaultOptions(), nil },
		Build: func(data *prep.Prepared, o mai.Options, seed uint64) (train.Model, error) {
			return mai.New(data, o, seed)
		},
	})
}

func sesrecEntry() Entry {
	return Define(Spec[sesrec.Config]{
		Cost: 101,
		Name: "sesrec", Label: "SESRec", Tasks: both,
		Options: func(string) (sesrec.Config, error) { return sesrec.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c sesrec.Config, seed uint64) (train.Model, error) {
			return sesrec.New(data, c, seed)
		},
	})
}

func unifiedssrEntry() Entry {
	return Define(Spec[unifiedssr.Config]{
		Cost: 97,
		Name: "unifiedssr", Label: "UnifiedSSR", Tasks: both,
		Options: func(string) (unifiedssr.Config, error) { return unifiedssr.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c unifiedssr.Config, seed uint64) (train.Model, error) {
			return unifiedssr.New(data, c, seed)
		},
	})
}

func unisarEntry() Entry {
	return Define(Spec[unisar.Config]{
		Cost: 212,
		Name: "unisar", Label: "UniSAR", Tasks: both,
		Options: func(string) (unisar.Config, error) { return unisar.DefaultConfig(), nil },
		Build: func(data *prep.Prepared, c unisar.Config, seed uint64) (train.Model, error) {
			return unisar.New(data, c, seed)
		},
	})
}

func dhimEntry() Entry {
	var variants []Variant
	for _, v := range dhim.Variants() {
		variants = append(variants, Variant{Name: v.Name, Label: v.Label})
	}
	return Define(Spec[dhim.Options]{
		Cost: 276,
		Name: "dhim", Label: "DHIM", Tasks: both, Variants: variants,
		Options: func(variant string) (dhim.Options, error) {
			if variant == "" {
				return dhim.DefaultOptions(), nil
			}
			return dhim.Preset(variant)
		},
		Build: func(data *prep.Prepared, o dhim.Options, seed uint64) (train.Model, error) {
			return dhim.New(data, o, seed)
		},
	})
}

// Pending returns the names of the DHIM paper's Table 1 baselines that have no package yet.
// Planners skip them with a warning instead of failing on an unknown name, so that the
// experiment files can list the full table already. Every Table 1 model is registered, so
// the list is empty; a future model goes here until its package builds.
func Pending() []string { return nil }
