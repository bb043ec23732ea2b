package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/results"
)

// writeRecord stores a finished run whose recommendation and search cases hit at rank 0 for the
// first recHits and searchHits of 50 cases each.
func writeRecord(t *testing.T, dir, experiment, model, label string, joint bool, seed uint64, sweep map[string]float64, recHits, searchHits int) {
	t.Helper()
	var cases []protocol.CaseResult
	for i := range 50 {
		rank := 50
		if i < recHits {
			rank = 0
		}
		cases = append(cases, protocol.CaseResult{Task: datasets.Rec, ID: int64(i), Rank: rank, Greater: rank})
	}
	for i := range 50 {
		rank := 50
		if i < searchHits {
			rank = 0
		}
		cases = append(cases, protocol.CaseResult{Task: datasets.Search, ID: int64(i), Rank: rank, Greater: rank})
	}
	metrics := protocol.DefaultMetrics()
	test := &protocol.Result{Seed: seed, Candidates: 100, Metrics: metrics, Cases: cases, Scopes: map[string]protocol.Summary{
		"rec": protocol.Summarize(cases[:50], metrics), "search": protocol.Summarize(cases[50:], metrics), "overall": protocol.Summarize(cases, metrics),
	}}
	epochs := []train.EpochRecord{{Epoch: 1, Valid: test.Scopes}, {Epoch: 2, Valid: test.Scopes}}
	r := &results.Record{Experiment: experiment, RunID: fmt.Sprintf("%s-%d-%v", model, seed, sweep), Status: results.StatusDone,
		Model: model, Label: label, Joint: joint, Dataset: "synthetic-kuaisar", Family: "KuaiSAR", Seed: seed, Sweep: sweep,
		Train: &train.Result{Test: test, Epochs: epochs}}
	if err := results.Write(results.Path(dir, experiment, r.RunID), r); err != nil {
		t.Fatal(err)
	}
}

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append(args, "--log-level", "error"))
	err := cmd.Execute()
	return out.String(), err
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	for seed := uint64(1); seed <= 2; seed++ {
		writeRecord(t, dir, "table1", "dhim", "DHIM", true, seed, nil, 30, 40)
		writeRecord(t, dir, "table1", "unisar", "UniSAR", true, seed, nil, 20, 35)
	}
	out := filepath.Join(dir, "out")
	stdout, err := execute(t, "report", "table1", "--results", dir, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "Table 1.") || !strings.Contains(stdout, "DHIM†") {
		t.Errorf("terminal table missing:\n%s", stdout)
	}
	for _, name := range []string{"table1.tex", "table1.md"} {
		if info, err := os.Stat(filepath.Join(out, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	if _, err := execute(t, "report", "table1", "--results", dir, "--format", "pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("error %v, want one naming the invalid format", err)
	}
	want := "no finished records under " + filepath.Join(dir, "missing")
	if _, err := execute(t, "report", "missing", "--results", dir); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want one containing %q", err, want)
	}
}

func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	for i, gamma := range []float64{0, 0.001, 0.1} {
		writeRecord(t, dir, "sweep-gamma", "dhim", "DHIM", true, 1, map[string]float64{"gamma": gamma}, 20+i, 30)
	}
	out := filepath.Join(dir, "figures")
	stdout, err := execute(t, "plot", "sweep-gamma", "--results", dir, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "sweep-gamma.png"))
	if err != nil {
		t.Fatalf("%v; output:\n%s", err, stdout)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Errorf("sweep PNG does not decode: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "curves-synthetic-kuaisar.svg")); err != nil {
		t.Errorf("learning curves not written: %v", err)
	}
	_, err = execute(t, "plot", "sweep-gamma", "--results", dir, "--out", out, "--metric", "hr@3")
	if err == nil || !strings.Contains(err.Error(), "hr@3") || !strings.Contains(err.Error(), "ndcg@5") {
		t.Errorf("error %v, want one naming hr@3 and listing the computed metrics", err)
	}
}

func TestDiffPaperCommand(t *testing.T) {
	dir := t.TempDir()
	writeRecord(t, dir, "table1", "dhim", "DHIM", true, 1, nil, 30, 40)
	stdout, err := execute(t, "diff-paper", "table1", "--results", dir)
	if err != nil {
		t.Fatalf("diff-paper failed on a gap to the paper: %v", err)
	}
	if !strings.Contains(stdout, "OUT") || !strings.Contains(stdout, "[not tested]") {
		t.Errorf("report lacks flagged cells or claims:\n%s", stdout)
	}
	bad := filepath.Join(dir, "broken")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "run.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, "diff-paper", "broken", "--results", dir); err == nil || !strings.Contains(err.Error(), "run.json") {
		t.Errorf("error %v, want one naming the unreadable record", err)
	}
}

func TestDiffPaperFolders(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent")
	if _, err := execute(t, "diff-paper", "--results", missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error %v, want one saying the results folder does not exist", err)
	}
	dir := t.TempDir()
	writeRecord(t, dir, "table1-quick", "dhim", "DHIM", true, 1, nil, 30, 40)
	stdout, err := execute(t, "diff-paper", "--results", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "table1 has no records") || !strings.Contains(stdout, "srbench diff-paper table1-quick ablation-quick") {
		t.Errorf("output does not point to the quick records:\n%s", stdout)
	}
}
