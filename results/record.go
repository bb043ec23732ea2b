// Package results defines the result record that every run of the harness writes, one JSON file
// per run, and reads them back for reports.
//
// A record holds everything needed to render a table cell or a plot point without rerunning:
// the resolved configuration, the metrics per split and task with per-case values, the learning
// curves, and the environment the run came from. Records under results/paper are not runs: they
// hold the paper's own numbers (see the paper subfolder).
package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/srbench/srbench/experiments/train"
)

// SchemaVersion is the version of the record layout; Load rejects records of another version.
const SchemaVersion = 1

// Status values of a record.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// Record is the outcome of one run: one model on one dataset with one seed and one set of
// overrides.
type Record struct {
	SchemaVersion int `json:"schema_version"`
	// Experiment is the experiment file's name ("table1", "ablation", "sweep-k").
	Experiment string `json:"experiment"`
	// RunID is stable for a resolved configuration: the same experiment entry gives the same id
	// on every machine, so a rerun finds and skips finished runs.
	RunID string `json:"run_id"`
	// Status is StatusDone or StatusFailed; Error holds the failure's message.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`

	// Model is the registry name ("dhim", "unisar", "din"); Variant names a preset of the model
	// such as a Table 2 ablation ("no-rec-long"), empty for the default. Label is the display
	// name used in tables ("DHIM", "w/o rec-long").
	Model   string `json:"model"`
	Variant string `json:"variant,omitempty"`
	Label   string `json:"label"`
	// Joint is true for models trained on search and recommendation together.
	Joint bool `json:"joint"`
	// Dataset is the dataset's name ("synthetic-kuaisar-default", "kuaisar-r"); Family is the
	// paper's dataset column it stands for ("KuaiSAR" or "Amazon").
	Dataset string `json:"dataset"`
	Family  string `json:"family"`
	// Seed is the experiment seed shared by data split, evaluation negatives and model
	// initialisation.
	Seed uint64 `json:"seed"`
	// Sweep names the swept parameters and their values for this run ({"k_rec": 6}); empty
	// outside sweeps.
	Sweep map[string]float64 `json:"sweep,omitempty"`
	// Config is the resolved configuration in layers applied (defaults, model, dataset,
	// experiment file, command line), as flat snake_case keys per section.
	Config map[string]any `json:"config"`

	// Train is the trainer's outcome: metrics, per-case values, curves, wall time and memory.
	// It is nil for a failed run.
	Train *train.Result `json:"train,omitempty"`
	// Env records where and when the run happened.
	Env Environment `json:"env"`
}

// Environment describes the machine and code of a run.
type Environment struct {
	GitCommit string `json:"git_commit"`
	// GitDirty reports uncommitted changes in the work tree; nil (JSON null) means unknown,
	// because git or the work tree was not available.
	GitDirty  *bool  `json:"git_dirty"`
	GoVersion string `json:"go_version"`
	CPU       string `json:"cpu"`
	NumCPU    int    `json:"num_cpu"`
	// Started and Finished are RFC 3339 times.
	Started  string `json:"started"`
	Finished string `json:"finished"`
	// WallSeconds is the run's wall time including data preparation.
	WallSeconds float64 `json:"wall_seconds"`
	// PeakRSSBytes is the process's peak resident set size at the end of the run.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// Path returns the file of a run's record under dir: dir/<experiment>/<run id>.json.
func Path(dir, experiment, runID string) string {
	return filepath.Join(dir, experiment, runID+".json")
}

// Write stores r as indented JSON at path atomically: it writes a temporary file in the same
// directory, syncs it and renames it over path, so a reader never sees half a record.
func Write(path string, r *Record) error {
	r.SchemaVersion = SchemaVersion
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode record %s: %w", r.RunID, err)
	}
	return WriteFile(path, append(data, '\n'))
}

// WriteFile stores data at path atomically: it writes a temporary file in the same directory,
// syncs it, makes it readable by all (0644) and renames it over path, so a reader never sees a
// partial file. It creates the directory when missing.
func WriteFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Read loads one record and checks its schema version.
func Read(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read record: %w", err)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read record %s: invalid JSON: %w; delete the file to rerun the run", path, err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("read record %s: schema version %d, want %d; rerun the experiment to rewrite it", path, r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}

// ReadExperiment loads every record of one experiment under dir, sorted by run id. A missing
// experiment folder gives no records and no error.
func ReadExperiment(dir, experiment string) ([]*Record, error) {
	root := filepath.Join(dir, experiment)
	var out []*Record
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		r, err := Read(path)
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Record) int { return strings.Compare(a.RunID, b.RunID) })
	return out, nil
}
