package config

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/srbench/srbench/datasets/source"
	"github.com/srbench/srbench/datasets/synthetic"
)

// Dataset families: the dataset columns of the DHIM paper's tables that a dataset is read as.
const (
	FamilyKuaiSAR = "KuaiSAR"
	FamilyAmazon  = "Amazon"
)

var familyNames = []string{FamilyKuaiSAR, FamilyAmazon}

// dataKeys are the keys of a [data.<name>] table besides the synthetic generator's: the
// fields of source.Spec and the dataset's family.
type dataKeys struct {
	Source     string  `toml:"source"`
	Path       string  `toml:"path"`
	Shape      string  `toml:"shape"`
	Size       string  `toml:"size"`
	Seed       uint64  `toml:"seed"`
	OnBadRow   string  `toml:"on_bad_row"`
	SearchProb float64 `toml:"search_prob"`
	// Family is the DHIM paper's dataset column that the dataset is read as. Empty means the
	// source's own: KuaiSAR for kuaisar and kuaisar-r, Amazon for amazon, the shape's for synthetic.
	Family string `toml:"family"`
}

// dataset is the resolved [data.<name>] table of one run.
type dataset struct {
	spec   source.Spec
	family string
	values Tree
}

// deferredKeys are generator keys of one layer, applied once the preset is known.
type deferredKeys struct {
	layer *Layer
	keys  Tree
}

// resolveData merges the dataset's keys over the layers and builds its source.Spec. seed is
// used as the data seed unless a layer sets data.<name>.seed.
func resolveData(name string, layers []*Layer, seed uint64, origin map[string]string) (*dataset, error) {
	if !slices.ContainsFunc(layers, func(l *Layer) bool { return l.Data[name] != nil }) {
		return nil, fmt.Errorf("unknown dataset %q: no layer has a [data.%s] table", name, name)
	}
	src := finalSource(name, layers)
	if !slices.Contains(source.Names, src) {
		return nil, fmt.Errorf("dataset %s (%s): unknown source %q: use one of %q", name, setBy(sourceOrigin(name, layers), ""), src, source.Names)
	}

	dk := dataKeys{Source: source.Synthetic, OnBadRow: "fail"}
	var deferred []deferredKeys
	for _, l := range layers {
		generator, err := applyDataKeys(l, name, src, &dk, origin)
		if err != nil {
			return nil, err
		}
		if len(generator) > 0 {
			deferred = append(deferred, deferredKeys{l, generator})
		}
	}

	if _, ok := origin["data."+name+".seed"]; !ok {
		dk.Seed = seed
	}
	if dk.Source == source.Synthetic {
		dk.Shape = cmp.Or(dk.Shape, synthetic.ShapeKuaiSAR)
		dk.Size = cmp.Or(dk.Size, synthetic.SizeDefault)
	}
	d, err := buildDataset(name, dk, origin)
	if err != nil {
		return nil, err
	}
	if src == source.Synthetic {
		if err := d.applyGenerator(name, deferred, origin); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// applyDataKeys decodes the dataset's spec and family keys of one layer into dk and returns
// its synthetic generator keys. A profile's [synthetic] keys count for synthetic sources only,
// below the layer's own [data.<name>] keys.
func applyDataKeys(l *Layer, name, src string, dk *dataKeys, origin map[string]string) (Tree, error) {
	merged := Tree{}
	if src == source.Synthetic {
		maps.Copy(merged, l.Synthetic)
	}
	maps.Copy(merged, l.Data[name])

	path := []string{"data", name}
	specKeys := section{path: path, dst: dk}
	generator := Tree{}
	for _, key := range slices.Sorted(maps.Keys(merged)) {
		switch {
		case slices.Contains(structKeys(dk), key):
			if err := specKeys.apply(l, Tree{key: merged[key]}, origin); err != nil {
				return nil, err
			}
		case src == source.Synthetic:
			generator[key] = merged[key]
		default:
			return nil, l.errorf(path, key, "unknown key %q for source %q: accepted keys are %s (synthetic generator keys apply only to source %q)",
				key, src, strings.Join(structKeys(dk), ", "), source.Synthetic)
		}
	}
	return generator, nil
}

// finalSource returns the source the last layer that sets data.<name>.source gives, or
// synthetic. A non-string value is left for the key's decoding to report.
func finalSource(name string, layers []*Layer) string {
	src := source.Synthetic
	for _, l := range layers {
		if s, ok := l.Data[name]["source"].(string); ok {
			src = s
		}
	}
	return src
}

// sourceOrigin returns the origin of data.<name>.source in the form setBy reads.
func sourceOrigin(name string, layers []*Layer) map[string]string {
	origin := map[string]string{}
	for _, l := range layers {
		if _, ok := l.Data[name]["source"]; ok {
			origin["data."+name+".source"] = l.Name
		}
	}
	return origin
}

// buildDataset checks the enumerations of dk and turns it into a spec.
func buildDataset(name string, dk dataKeys, origin map[string]string) (*dataset, error) {
	spec := source.Spec{
		Source: dk.Source, Path: dk.Path, Shape: dk.Shape, Size: dk.Size, Seed: dk.Seed,
		OnBadRow: dk.OnBadRow, SearchProb: dk.SearchProb,
	}
	check := spec
	if check.Path == "" {
		check.Path = "-" // a missing path is reported when the run starts, so listing works without data
	}
	if err := check.Validate(); err != nil {
		return nil, fmt.Errorf("dataset %s (%s): %w", name, setBy(origin, "data."+name+"."), err)
	}
	if dk.Family == "" {
		dk.Family = defaultFamily(spec)
	}
	if !slices.Contains(familyNames, dk.Family) {
		return nil, fmt.Errorf("dataset %s (%s): family %q is invalid: use one of %q", name, setBy(origin, "data."+name+".family"), dk.Family, familyNames)
	}
	values, err := flatten(&dk)
	if err != nil {
		return nil, err
	}
	return &dataset{spec: spec, family: dk.Family, values: values}, nil
}

// applyGenerator builds the synthetic generator configuration: the preset of the spec's shape
// and size with the data seed, then the layers' generator keys.
func (d *dataset) applyGenerator(name string, deferred []deferredKeys, origin map[string]string) error {
	cfg, err := d.spec.SyntheticConfig()
	if err != nil {
		return fmt.Errorf("dataset %s (%s): %w", name, setBy(origin, "data."+name+"."), err)
	}
	generator := section{path: []string{"data", name}, dst: &cfg}
	for _, dk := range deferred {
		if err := generator.apply(dk.layer, dk.keys, origin); err != nil {
			return err
		}
	}
	if len(deferred) > 0 {
		d.spec.Synthetic = &cfg
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("dataset %s (%s): %w", name, setBy(origin, "data."+name+"."), err)
	}
	values, err := flatten(&cfg)
	if err != nil {
		return err
	}
	maps.Copy(d.values, values)
	return nil
}

// defaultFamily returns the family a source stands for.
func defaultFamily(s source.Spec) string {
	switch {
	case s.Source == source.Amazon, s.Source == source.Synthetic && s.Shape == synthetic.ShapeAmazon:
		return FamilyAmazon
	}
	return FamilyKuaiSAR
}

// setBy lists the layers that set keys starting with prefix, for error messages.
func setBy(origin map[string]string, prefix string) string {
	var layers []string
	for _, key := range slices.Sorted(maps.Keys(origin)) {
		if strings.HasPrefix(key, prefix) && !slices.Contains(layers, origin[key]) {
			layers = append(layers, origin[key])
		}
	}
	if len(layers) == 0 {
		return "defaults"
	}
	return "set by " + strings.Join(layers, ", ")
}
