// Package amazon loads an Amazon review dataset (McAuley et al., the 5-core "Kindle Store"
// subset for the unified search and recommendation benchmark) with semi-synthetic search in the
// style of Ai et al., "Learning a Hierarchical Embedding Model for Personalized Product Search"
// (SIGIR 2017).
//
// Reviews are JSON lines with reviewerID, asin, overall and unixReviewTime; metadata lines hold
// asin and categories, either as strict JSON or, as in the 2014 release, as Python dict literals.
// Both may be gzipped. Every review is a purchase and becomes a recommendation behaviour at
// unixReviewTime·1000 ms; every purchase also becomes a search session at the same time, with a
// query built from the item's categories or taken from Ai et al.'s published query files when
// they are given (query_text.txt.gz and *.qrels.gz).
package amazon

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

// Options configures Load. File names are relative to the dataset directory; empty names are
// discovered as Files describes.
type Options struct {
	// OnBadRow is the policy for malformed lines; the zero value is datasets.Fail.
	OnBadRow datasets.BadRowPolicy
	// Name is the dataset name; empty means "amazon".
	Name string
	// Seed seeds the choice of category path or published query per purchase.
	Seed uint64
	// Reviews and Meta name the reviews and metadata files.
	Reviews, Meta string
	// QueryText and Qrels name Ai et al.'s query files; both are optional, but qrels need the
	// query text.
	QueryText string
	Qrels     []string
}

// Files returns the paths Load reads from dir: reviews, metadata, then the query text and the
// qrels files when present. Unset names are discovered: the one file matching reviews_*.json or
// reviews_*.json.gz, the one matching meta_*.json or meta_*.json.gz, query_text.txt.gz or
// query_text.txt, and every *.qrels.gz or *.qrels file in name order. It fails when a required
// file is missing or ambiguous, naming the candidates.
func Files(dir string, opts Options) ([]string, error) {
	reviews, err := pick(dir, opts.Reviews, "reviews_*.json", "reviews_*.json.gz")
	if err != nil {
		return nil, fmt.Errorf("reviews file: %w", err)
	}
	meta, err := pick(dir, opts.Meta, "meta_*.json", "meta_*.json.gz")
	if err != nil {
		return nil, fmt.Errorf("metadata file: %w", err)
	}
	files := []string{reviews, meta}
	queryText, qrels := opts.QueryText, opts.Qrels
	if queryText == "" {
		queryText = filepath.Base(kuaisar.ResolveFile(dir, "query_text.txt"))
	}
	if _, err := os.Stat(filepath.Join(dir, queryText)); err == nil || opts.QueryText != "" {
		files = append(files, filepath.Join(dir, queryText))
	}
	if qrels == nil {
		qrels = globNames(dir, "*.qrels", "*.qrels.gz")
	}
	if len(qrels) > 0 && len(files) == 2 {
		return nil, fmt.Errorf("qrels files %q in %s need query_text.txt.gz (or query_text.txt), which is missing: add it to the folder, or move the qrels files out to load without search", qrels, dir)
	}
	for _, q := range qrels {
		files = append(files, filepath.Join(dir, q))
	}
	return files, nil
}

// pick returns dir/name when name is set, else the single file matching one of patterns.
func pick(dir, name string, patterns ...string) (string, error) {
	if name != "" {
		return filepath.Join(dir, name), nil
	}
	matches := globNames(dir, patterns...)
	switch {
	case len(matches) == 0:
		return "", fmt.Errorf("no file in %s matches %q: check the data folder (--path or --data-path) and add the file", dir, patterns)
	case len(matches) > 1:
		return "", fmt.Errorf("want exactly one file in %s matching %q, found %q: keep one of them in the folder and move the others out", dir, patterns, matches)
	}
	return filepath.Join(dir, matches[0]), nil
}

// globNames returns the base names in dir matching any of patterns, sorted.
func globNames(dir string, patterns ...string) []string {
	var names []string
	for _, p := range patterns {
		matches, _ := filepath.Glob(filepath.Join(dir, p)) // only ErrBadPattern, and the patterns are fixed
		for _, m := range matches {
			names = append(names, filepath.Base(m))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Load reads the Amazon dataset in dir. It returns the dataset and a report of every line read,
// skipped or dropped; on error the dataset is nil.
func Load(dir string, opts Options) (*datasets.Dataset, *datasets.LoadReport, error) {
	start := time.Now()
	opts.Name = cmp.Or(opts.Name, "amazon")
	report := datasets.NewLoadReport(opts.Name, opts.OnBadRow)
	files, err := Files(dir, opts)
	if err != nil {
		return nil, report, err
	}

	b := kuaisar.NewBuilder()
	if err := readReviews(files[0], b, report); err != nil {
		return nil, report, err
	}
	src := querySource{}
	if src.paths, err = readMeta(files[1], b, report); err != nil {
		return nil, report, err
	}
	if len(files) > 2 {
		if src.queryText, err = readQueryText(files[2], report); err != nil {
			return nil, report, err
		}
		if src.published, err = readQrels(files[3:], src.queryText, report); err != nil {
			return nil, report, err
		}
	}

	names := kuaisar.Sources{Rec: filepath.Base(files[0]), Search: filepath.Base(files[0]), Items: filepath.Base(files[1])}
	d := b.Build(opts.Name, names, report)
	addSearches(d, src, opts.Seed, report)
	kuaisar.CountScenarios(d, report)
	if err := kuaisar.Finish(d, dir, start); err != nil {
		return nil, report, err
	}
	return d, report, nil
}
