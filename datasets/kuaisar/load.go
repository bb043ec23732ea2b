// Package kuaisar loads the raw KuaiSAR release (Sun et al., "KuaiSAR: A Unified Search And
// Recommendation Dataset", CIKM 2023) into the shared datasets schema.
//
// A KuaiSAR directory holds rec_inter.csv, src_inter.csv, item_features.csv and
// user_features.csv (each may also be gzipped, with ".gz" appended). The column names follow the
// field tables of the release's description page (github.com/Ethan00Si/KuaiSAR,
// pages/decriptions.md, read at commit 2272abb). Columns are matched by header name, so their
// order does not matter, and columns the loader does not use are ignored.
//
// Recommendation behaviours are rec_inter rows with click = 1. Search behaviours are the
// sessions of src_inter, grouped by search_session_id, whose rows must share one user_id,
// timestamp and keyword. A session's clicked items are its rows with click_cnt > 0, and a
// session without clicks is still a search behaviour. Both
// streams are merged by their millisecond timestamps, recommendation first on ties.
//
// The package also exports the Builder and field parsers that the KuaiSAR-R and Amazon loaders
// reuse.
package kuaisar

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/srbench/srbench/datasets"
)

// Source file names inside a KuaiSAR directory.
const (
	RecFile    = "rec_inter.csv"
	SearchFile = "src_inter.csv"
	ItemFile   = "item_features.csv"
	UserFile   = "user_features.csv"
)

// Options configures Load.
type Options struct {
	// OnBadRow is the policy for malformed rows; the zero value is datasets.Fail.
	OnBadRow datasets.BadRowPolicy
	// Name is the dataset name; empty means "kuaisar".
	Name string
}

// Files returns the paths of the four source files that Load reads from dir, in the order
// rec_inter, src_inter, item_features, user_features. For each file it returns the plain name
// when that exists, else the ".gz" name when that exists, else the plain name (which Load then
// reports as missing). A cache can fingerprint exactly these paths.
func Files(dir string) []string {
	return []string{
		ResolveFile(dir, RecFile),
		ResolveFile(dir, SearchFile),
		ResolveFile(dir, ItemFile),
		ResolveFile(dir, UserFile),
	}
}

// ResolveFile returns dir/name if it exists, else dir/name.gz if that exists, else dir/name.
func ResolveFile(dir, name string) string {
	plain := filepath.Join(dir, name)
	if _, err := os.Stat(plain); err == nil {
		return plain
	}
	if _, err := os.Stat(plain + ".gz"); err == nil {
		return plain + ".gz"
	}
	return plain
}

// Load reads the KuaiSAR release in dir. It returns the dataset and a report of every row read,
// skipped or dropped. On error the dataset is nil and the report covers what was read so far.
// Under datasets.Fail the error of a malformed row is a *datasets.RowError.
func Load(dir string, opts Options) (*datasets.Dataset, *datasets.LoadReport, error) {
	start := time.Now()
	name := cmp.Or(opts.Name, "kuaisar")
	report := datasets.NewLoadReport(name, opts.OnBadRow)
	files := Files(dir)
	b := NewBuilder()
	if err := readRec(files[0], b, report); err != nil {
		return nil, report, err
	}
	if err := readSearch(files[1], b, report); err != nil {
		return nil, report, err
	}
	if err := readItems(files[2], b, report); err != nil {
		return nil, report, err
	}
	features, err := ReadUserFeatures(files[3], report)
	if err != nil {
		return nil, report, err
	}
	b.SetUserFeatures(features.ByUser, features.Cardinality)
	src := Sources{Rec: RecFile, Search: SearchFile, Items: ItemFile, Users: UserFile}
	d := b.Build(name, src, report)
	CountScenarios(d, report)
	if err := Finish(d, dir, start); err != nil {
		return nil, report, err
	}
	return d, report, nil
}

// Finish checks an assembled dataset and logs its size. It fails when no user has a
// behaviour, and when d breaks the schema's invariants, which would be a loader bug.
func Finish(d *datasets.Dataset, dir string, start time.Time) error {
	if len(d.Users) == 0 {
		return fmt.Errorf("dataset %s in %s: no user has a behaviour; check that the interaction files have rows with a click and items listed in the item file", d.Name, dir)
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("loader produced an invalid dataset: %w", err)
	}
	behaviours := 0
	for _, u := range d.Users {
		behaviours += len(u.Stream)
	}
	slog.Info("dataset loaded", "name", d.Name, "dir", dir, "users", len(d.Users), "items", len(d.Items),
		"queries", len(d.Queries), "behaviours", behaviours, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// RowHash returns a 64-bit FNV-1a hash of a row's fields, for exact duplicate detection. Fields
// are separated by a byte that CSV text fields do not contain unquoted, so ["a,b"] and ["a","b"]
// hash apart. It never returns 0, which Builder reads as "no hash".
func RowHash(fields []string) uint64 {
	h := fnv.New64a()
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return max(h.Sum64(), 1)
}

// logProgress logs every millionth row of a long file, so a user sees that loading advances.
func logProgress(t *datasets.CSVTable, start time.Time) {
	if n := t.Line(); n%1_000_000 == 0 {
		slog.Info("reading", "file", t.Name(), "line", n, "elapsed", time.Since(start).Round(time.Millisecond))
	}
}

// closeTable closes t and joins a close error to err.
func closeTable(t *datasets.CSVTable, err error) error {
	return errors.Join(err, t.Close())
}
