package source

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/cache"
	"github.com/srbench/srbench/datasets/prep"
)

// Prepared is a prepared dataset and, when it was built in this call rather than read from the
// cache, the loader's report.
type Prepared struct {
	*prep.Prepared
	// Report is the loader's count of rejected and ignored rows; nil for synthetic data and for
	// a dataset read from the cache.
	Report *datasets.LoadReport
	// FromCache reports whether the data came from the cache file.
	FromCache bool
}

// Prepare loads the dataset and prepares it with opts. With a non-empty cacheDir it reads the
// cache file for this spec and these options when it is valid, and otherwise builds and stores
// it (stale and corrupt files are rebuilt with a log line saying why).
func Prepare(s Spec, opts prep.Options, cacheDir string) (*Prepared, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	out := &Prepared{FromCache: true}
	build := func() (*prep.Prepared, error) {
		out.FromCache = false
		return s.build(opts, &out.Report)
	}
	if cacheDir == "" {
		p, err := build()
		if err != nil {
			return nil, err
		}
		out.Prepared = p
		return out, nil
	}
	fp, err := s.Fingerprint()
	if err != nil {
		return nil, err
	}
	key := cache.NewKey(fp, opts)
	name := fmt.Sprintf("%s-%s", s.Name(), key.String()[:12])
	p, err := cache.LoadOrBuild(cacheDir, name, key, build)
	if err != nil {
		return nil, err
	}
	out.Prepared = p
	return out, nil
}

func (s Spec) build(opts prep.Options, report **datasets.LoadReport) (*prep.Prepared, error) {
	start := time.Now()
	ds, rep, err := s.Load()
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", s.Name(), err)
	}
	*report = rep
	slog.Info("dataset loaded", "dataset", s.Name(), "users", len(ds.Users), "items", len(ds.Items),
		"elapsed", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	p, err := prep.Prepare(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", s.Name(), err)
	}
	slog.Info("dataset prepared", "dataset", s.Name(), "elapsed", time.Since(start).Round(time.Millisecond))
	return p, nil
}
