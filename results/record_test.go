package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	in := &Record{Experiment: "table1", RunID: "dhim-kuaisar-s1-abc", Status: StatusDone, Model: "dhim",
		Label: "DHIM", Joint: true, Dataset: "synthetic-kuaisar-tiny", Family: "KuaiSAR", Seed: 3,
		Sweep: map[string]float64{"k_rec": 6}, Config: map[string]any{"train": map[string]any{"lr": 0.001}}}
	path := Path(dir, in.Experiment, in.RunID)
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.RunID != in.RunID || out.Seed != 3 || out.Sweep["k_rec"] != 6 || out.SchemaVersion != SchemaVersion {
		t.Errorf("read back %+v, want the written record", out)
	}
}

func TestWriteFileLeavesNoTemporary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "table.tex")
	if err := WriteFile(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "table.tex" {
		t.Errorf("folder holds %v, want only table.tex", entries)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
}

func TestReadRejectsOtherSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, []byte(`{"schema_version": 99, "run_id": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), "schema version 99") {
		t.Errorf("Read error = %v, want one naming schema version 99", err)
	}
}

func TestReadRejectsTruncatedJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, []byte(`{"schema_version": 1, "run_`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Read error = %v, want one naming %s", err, path)
	}
}

func TestReadExperimentSortedAndMissing(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"b-run", "a-run"} {
		if err := Write(Path(dir, "exp", id), &Record{Experiment: "exp", RunID: id, Status: StatusDone}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := ReadExperiment(dir, "exp")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].RunID != "a-run" || recs[1].RunID != "b-run" {
		t.Errorf("ReadExperiment returned %d records in the wrong order", len(recs))
	}
	none, err := ReadExperiment(dir, "missing")
	if err != nil || len(none) != 0 {
		t.Errorf("missing experiment: %d records, err %v; want none and no error", len(none), err)
	}
}
