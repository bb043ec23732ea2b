package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/srbench/srbench/experiments/registry"
	"github.com/srbench/srbench/experiments/train"
	"github.com/srbench/srbench/results"
)

// timingFields are the fields of a training result that measure time or memory and so differ
// between two runs of the same configuration.
var timingFields = []cmp.Option{
	cmpopts.IgnoreFields(train.Result{}, "WallSeconds", "PeakRSSBytes"),
	cmpopts.IgnoreFields(train.EpochRecord{}, "Seconds", "StepsPerSecond", "PeakRSSBytes"),
	cmpopts.EquateNaNs(),
}

func readRecord(t *testing.T, dir string, r Run) *results.Record {
	t.Helper()
	rec, err := results.Read(results.Path(dir, r.Experiment, r.ID))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestExecuteEndToEnd(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	runs := planTest(t, testExperiment, PlanOptions{})
	sum, err := execute(t, context.Background(), runs, dir, cache, 2)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 2 || sum.Failed != 1 || sum.Skipped != 0 {
		t.Errorf("summary %+v, want 2 done and 1 failed", sum)
	}
	if err := sum.Err(); err == nil || !strings.Contains(err.Error(), "broken-tiny-s1-") || !strings.Contains(err.Error(), "built to fail") {
		t.Errorf("Summary.Err() = %v, want the failed run and its error", err)
	}
	for _, r := range runs {
		rec := readRecord(t, dir, r)
		if r.Model == "broken" {
			if rec.Status != results.StatusFailed || !strings.Contains(rec.Error, "built to fail") || rec.Train != nil {
				t.Errorf("broken run record: status %q, error %q, train %v", rec.Status, rec.Error, rec.Train)
			}
			continue
		}
		if rec.Status != results.StatusDone || rec.Train == nil || rec.Train.Test == nil {
			t.Fatalf("run %s: status %q error %q, want done with a test result", r.ID, rec.Status, rec.Error)
		}
		if rec.Label != r.Label || rec.Experiment != "test" || rec.Dataset != "synthetic-kuaisar-tiny" || rec.Family != "KuaiSAR" {
			t.Errorf("run %s: label %q experiment %q dataset %q family %q", r.ID, rec.Label, rec.Experiment, rec.Dataset, rec.Family)
		}
		if rec.Joint != (r.Model == "pop") {
			t.Errorf("run %s: joint = %v", r.ID, rec.Joint)
		}
		if rec.Env.GoVersion == "" || rec.Env.NumCPU < 1 || rec.Env.GitCommit == "" || rec.Env.Started == "" {
			t.Errorf("run %s: incomplete environment %+v", r.ID, rec.Env)
		}
		train, ok := rec.Config["train"].(map[string]any)
		if !ok || train["epochs"] != float64(2) {
			t.Errorf("run %s: recorded train config %v, want epochs 2", r.ID, rec.Config["train"])
		}
		if _, err := os.Stat(CheckpointPath(dir, r)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("run %s: checkpoint left after the run: %v", r.ID, err)
		}
	}

	// A second call skips the done runs and runs the failed one again.
	sum, err = execute(t, context.Background(), runs, dir, cache, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 2 || sum.Done != 0 || sum.Failed != 1 {
		t.Errorf("rerun summary %+v, want 2 skipped and the broken run failed again", sum)
	}
}

func TestExecuteResume(t *testing.T) {
	runs := selectRuns(planTest(t, testExperiment, PlanOptions{Sets: []string{"train.epochs=3"}}), "din")
	cache := t.TempDir()

	whole := t.TempDir()
	if _, err := execute(t, context.Background(), runs, whole, cache, 1); err != nil {
		t.Fatal(err)
	}

	// Cancel after the first epoch's checkpoint, as Ctrl-C would.
	cut := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Execute(ctx, runs, Options{Dir: cut, CacheDir: cache, Jobs: 1, Logger: quietLogger(),
		OnEpoch: func(_ Run, e train.EpochRecord) error {
			if e.Epoch == 1 {
				cancel()
			}
			return nil
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Execute returned %v, want context.Canceled", err)
	}
	if _, err := os.Stat(results.Path(cut, runs[0].Experiment, runs[0].ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("interrupted run wrote a record: %v", err)
	}
	if _, err := os.Stat(CheckpointPath(cut, runs[0])); err != nil {
		t.Fatalf("interrupted run left no checkpoint: %v", err)
	}
	rep, err := Status(cut, runs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(StatePartial) != 1 {
		t.Errorf("status of the interrupted run: %+v, want partial", rep.Runs[0].State)
	}

	if _, err := execute(t, context.Background(), runs, cut, cache, 1); err != nil {
		t.Fatal(err)
	}
	want, got := readRecord(t, whole, runs[0]), readRecord(t, cut, runs[0])
	if got.Status != results.StatusDone || len(got.Train.Epochs) != 3 {
		t.Fatalf("resumed run: status %q, %d epochs; want done after 3", got.Status, len(got.Train.Epochs))
	}
	if diff := cmp.Diff(want.Train, got.Train, timingFields...); diff != "" {
		t.Errorf("resumed run differs from the uninterrupted one (-want +got):\n%s", diff)
	}
}

func TestExecuteReproducible(t *testing.T) {
	runs := selectRuns(planTest(t, testExperiment, PlanOptions{}), "pop", "din")
	cache := t.TempDir()
	first, second := t.TempDir(), t.TempDir()
	if _, err := execute(t, context.Background(), runs, first, cache, 1); err != nil {
		t.Fatal(err)
	}
	// Other jobs and no cache: preparing from scratch gives the same data.
	if _, err := execute(t, context.Background(), runs, second, "", 2); err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		a, b := readRecord(t, first, r), readRecord(t, second, r)
		if diff := cmp.Diff(a.Train, b.Train, timingFields...); diff != "" {
			t.Errorf("run %s differs between two executions (-first +second):\n%s", r.ID, diff)
		}
	}
}

func TestExecuteMissingPath(t *testing.T) {
	text := strings.Replace(testExperiment, "source = \"synthetic\"\nshape = \"kuaisar\"\nsize = \"tiny\"\nusers = 80", `source = "kuaisar-r"`, 1)
	runs := planTest(t, text, PlanOptions{Models: []string{"pop"}})
	_, err := execute(t, context.Background(), runs, t.TempDir(), "", 1)
	if err == nil || !strings.Contains(err.Error(), "--data-path DIR or --set data.tiny.path=DIR") {
		t.Errorf("error = %v, want one that names --data-path", err)
	}
	dir := writeKuaiSARR(t, "1")
	withPath := planTest(t, text, PlanOptions{Models: []string{"pop"}, DataPath: dir})
	if withPath[0].Config.Spec.Path != dir {
		t.Errorf("--data-path gave path %q, want %q", withPath[0].Config.Spec.Path, dir)
	}
}

// writeKuaiSARR writes the three KuaiSAR-R file names into a new folder, each holding content.
// Planning only hashes the files, so they need not parse.
func writeKuaiSARR(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"df.csv", "video_features.csv", "user_features.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name+content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPlanDataFingerprint(t *testing.T) {
	text := strings.Replace(testExperiment, "source = \"synthetic\"\nshape = \"kuaisar\"\nsize = \"tiny\"\nusers = 80", `source = "kuaisar-r"`, 1)
	plan := func(dir string) Run {
		return planTest(t, text, PlanOptions{Models: []string{"pop"}, DataPath: dir})[0]
	}
	first, moved, changed := writeKuaiSARR(t, "1"), writeKuaiSARR(t, "1"), writeKuaiSARR(t, "2")
	base := plan(first)
	if base.DataFingerprint == "" {
		t.Fatalf("run %s on real data has no data fingerprint", base.ID)
	}
	if got := plan(moved); got.ID != base.ID {
		t.Errorf("same files in another folder: id %s, want %s", got.ID, base.ID)
	}
	if got := plan(changed); got.ID == base.ID {
		t.Errorf("changed files kept id %s", got.ID)
	}
	rec := (&executor{}).record(base, nil, nil, nil, time.Now())
	if rec.Config["data_fingerprint"] != base.DataFingerprint {
		t.Errorf("recorded data_fingerprint %v, want %s", rec.Config["data_fingerprint"], base.DataFingerprint)
	}
	exp, err := parse(text)
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "none")
	_, err = Plan(exp, testRegistry(t), PlanOptions{Models: []string{"pop"}, DataPath: missing, Logger: quietLogger()})
	if err == nil || !strings.Contains(err.Error(), "has no readable df.csv") {
		t.Errorf("missing data folder: error %v, want one naming df.csv", err)
	}
}

func TestStatus(t *testing.T) {
	dir := t.TempDir()
	runs := planTest(t, testExperiment, PlanOptions{})
	if _, err := execute(t, context.Background(), selectRuns(runs, "pop", "broken"), dir, "", 1); err != nil {
		t.Fatal(err)
	}
	stale := &results.Record{Experiment: "test", RunID: "pop-tiny-s1-00000000", Status: results.StatusDone}
	if err := results.Write(filepath.Join(dir, "test", stale.RunID+".json"), stale); err != nil {
		t.Fatal(err)
	}
	rep, err := Status(dir, runs)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{StateDone: 1, StateFailed: 1, StatePending: 1, StatePartial: 0}
	for state, want := range counts {
		if got := rep.Count(state); got != want {
			t.Errorf("%s runs = %d, want %d", state, got, want)
		}
	}
	if len(rep.Unplanned) != 1 || rep.Unplanned[0] != stale.RunID {
		t.Errorf("unplanned = %v, want [%s]", rep.Unplanned, stale.RunID)
	}
}

func TestGitStateUnknown(t *testing.T) {
	t.Chdir(t.TempDir())
	commit, dirty := gitState(context.Background(), nil)
	if commit != unknown || dirty != nil {
		t.Errorf("outside a work tree: commit %q, dirty %v; want %q and nil", commit, dirty, unknown)
	}
	if got := dirtyText(dirty); got != unknown {
		t.Errorf("dirtyText(nil) = %q, want %q", got, unknown)
	}
}

func TestLogInterrupted(t *testing.T) {
	dir := t.TempDir()
	r := Run{ID: "pop-tiny-s1-00000000", Experiment: "test"}
	var buf bytes.Buffer
	e := &executor{opts: Options{Dir: dir}, log: slog.New(slog.NewTextHandler(&buf, nil))}
	e.logInterrupted(r)
	if !strings.Contains(buf.String(), "before its first epoch checkpoint") {
		t.Errorf("without a checkpoint the log reads %q, want it to say none exists", buf.String())
	}
	path := CheckpointPath(dir, r)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	e.logInterrupted(r)
	if !strings.Contains(buf.String(), "checkpoint stays") {
		t.Errorf("with a checkpoint the log reads %q, want it to say the checkpoint stays", buf.String())
	}
}

// TestLongestFirst checks that runs are ordered by their model's cost, highest first, and that
// runs of equal cost keep the plan's order.
func TestLongestFirst(t *testing.T) {
	costs := []float64{1, 276, 0, 22, 276, 22}
	runs := make([]Run, len(costs))
	for i, c := range costs {
		runs[i] = Run{ID: fmt.Sprintf("r%d", i), Entry: registry.Entry{Cost: c}}
	}
	longestFirst(runs)
	var got []string
	for _, r := range runs {
		got = append(got, r.ID)
	}
	want := []string{"r1", "r4", "r3", "r5", "r0", "r2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
