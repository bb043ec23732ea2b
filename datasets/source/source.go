// Package source opens any dataset the harness knows by name: the embedded synthetic generator
// or one of the real sources (KuaiSAR, the KuaiSAR-R slice, Amazon), and prepares it through the
// on-disk cache.
//
// It is the one place that maps a source name and its options to a loader, so the command line
// and the experiment runner open datasets identically.
package source

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/amazon"
	"github.com/srbench/srbench/datasets/cache"
	"github.com/srbench/srbench/datasets/kuaisar"
	"github.com/srbench/srbench/datasets/kuaisarr"
	"github.com/srbench/srbench/datasets/synthetic"
)

// Source names accepted by Spec.Source.
const (
	Synthetic = "synthetic"
	KuaiSAR   = "kuaisar"
	KuaiSARR  = "kuaisar-r"
	Amazon    = "amazon"
)

// Names lists the accepted source names.
var Names = []string{Synthetic, KuaiSAR, KuaiSARR, Amazon}

// Spec names a dataset and the options of its loader. Keys are flat snake_case so an experiment
// file can set them.
type Spec struct {
	// Source is one of Names.
	Source string `toml:"source"`
	// Path is the directory holding a real source's files; unused for synthetic.
	Path string `toml:"path"`
	// Shape ("kuaisar" or "amazon") and Size ("tiny", "default" or "full") pick the synthetic
	// preset.
	Shape string `toml:"shape"`
	Size  string `toml:"size"`
	// Seed seeds generation: the synthetic dataset itself, the search sessions generated for
	// kuaisar-r, and the choice of category path per Amazon purchase. Zero means 1.
	Seed uint64 `toml:"seed"`
	// OnBadRow is "fail" (the default) or "skip".
	OnBadRow string `toml:"on_bad_row"`
	// SearchProb is kuaisar-r's probability that a click is turned into a generated search session;
	// zero means the loader's default.
	SearchProb float64 `toml:"search_prob"`
	// Synthetic, when set, replaces the preset named by Shape and Size (an experiment file's
	// overrides of the generator's knobs arrive here).
	Synthetic *synthetic.Config `toml:"-"`
}

// Validate checks the fields that do not need the file system.
func (s Spec) Validate() error {
	if !slices.Contains(Names, s.Source) {
		return fmt.Errorf("unknown dataset source %q: use one of %q", s.Source, Names)
	}
	if _, err := datasets.ParseBadRowPolicy(s.OnBadRow); err != nil {
		return err
	}
	if s.Source != Synthetic && s.Path == "" {
		return fmt.Errorf("dataset source %q needs the directory of its files: set path (or --path)", s.Source)
	}
	return nil
}

func (s Spec) seed() uint64 {
	if s.Seed == 0 {
		return 1
	}
	return s.Seed
}

// SyntheticConfig returns the generator configuration the spec selects, with its seed applied.
func (s Spec) SyntheticConfig() (synthetic.Config, error) {
	if s.Synthetic != nil {
		return *s.Synthetic, nil
	}
	shape, size := s.Shape, s.Size
	if shape == "" {
		shape = synthetic.ShapeKuaiSAR
	}
	if size == "" {
		size = synthetic.SizeDefault
	}
	cfg, err := synthetic.Preset(shape, size)
	if err != nil {
		return synthetic.Config{}, err
	}
	cfg.Seed = s.seed()
	return cfg, nil
}

// Load reads or generates the dataset. The report is nil for the synthetic source, which has no
// rows to reject.
func (s Spec) Load() (*datasets.Dataset, *datasets.LoadReport, error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	policy, _ := datasets.ParseBadRowPolicy(s.OnBadRow)
	switch s.Source {
	case Synthetic:
		cfg, err := s.SyntheticConfig()
		if err != nil {
			return nil, nil, err
		}
		ds, err := synthetic.Generate(cfg)
		return ds, nil, err
	case KuaiSAR:
		return kuaisar.Load(s.Path, kuaisar.Options{OnBadRow: policy})
	case KuaiSARR:
		return kuaisarr.Load(s.Path, kuaisarr.Options{OnBadRow: policy, Seed: s.seed(), SearchProb: s.SearchProb})
	default:
		return amazon.Load(s.Path, amazon.Options{OnBadRow: policy, Seed: s.seed()})
	}
}

// Fingerprint returns bytes that change whenever the loaded dataset could change: the content of
// every source file plus the loader options, or the synthetic configuration.
func (s Spec) Fingerprint() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	opts := fmt.Appendf(nil, "source=%s seed=%d on_bad_row=%s search_prob=%g\n", s.Source, s.seed(), s.OnBadRow, s.SearchProb)
	if s.Source == Synthetic {
		cfg, err := s.SyntheticConfig()
		if err != nil {
			return nil, err
		}
		return fmt.Appendf(opts, "%#v", cfg), nil
	}
	files, err := s.files()
	if err != nil {
		return nil, err
	}
	if err := s.checkFiles(files); err != nil {
		return nil, err
	}
	sum, err := cache.FileFingerprint(files...)
	if err != nil {
		return nil, err
	}
	return append(opts, sum...), nil
}

// checkFiles returns an error naming the first of files that is missing from the data folder.
func (s Spec) checkFiles(files []string) error {
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("dataset source %s: data folder %s has no readable %s (%w): check the folder given by --path (srbench data) or --data-path (srbench run)",
				s.Source, s.Path, filepath.Base(f), err)
		}
	}
	return nil
}

// DataFingerprint returns the hex SHA-256 of Fingerprint. For a real source it depends on the
// files' base names and contents and not on the folder that holds them.
func (s Spec) DataFingerprint() (string, error) {
	fp, err := s.Fingerprint()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(fp)
	return hex.EncodeToString(sum[:]), nil
}

func (s Spec) files() ([]string, error) {
	switch s.Source {
	case KuaiSAR:
		return kuaisar.Files(s.Path), nil
	case KuaiSARR:
		return kuaisarr.Files(s.Path), nil
	default:
		return amazon.Files(s.Path, amazon.Options{})
	}
}

// Name returns a short file-system-safe label such as "synthetic-kuaisar-default" or
// "kuaisar-r", for cache file names and logs.
func (s Spec) Name() string {
	if s.Source != Synthetic {
		return s.Source
	}
	cfg, err := s.SyntheticConfig()
	if err != nil || cfg.Name == "" {
		return s.Source
	}
	return cfg.Name
}
