package runner

import (
	"strings"
	"testing"
)

func ids(runs []Run) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

func TestPlanIDsStable(t *testing.T) {
	first := ids(planTest(t, testExperiment, PlanOptions{}))
	if len(first) != 3 {
		t.Fatalf("planned %d runs, want 3", len(first))
	}
	for i := range 20 {
		again := ids(planTest(t, testExperiment, PlanOptions{}))
		if strings.Join(again, " ") != strings.Join(first, " ") {
			t.Fatalf("plan %d gave ids %v, first plan %v", i, again, first)
		}
	}
	if !strings.HasPrefix(first[1], "din-tiny-s1-") || len(first[1]) != len("din-tiny-s1-")+8 {
		t.Errorf("id %q does not have the form din-tiny-s1-<8 hex digits>", first[1])
	}
}

func TestPlanIDsChange(t *testing.T) {
	base := ids(planTest(t, testExperiment, PlanOptions{}))
	cases := []struct {
		name    string
		o       PlanOptions
		changed bool
	}{
		{"learning rate", PlanOptions{Sets: []string{"train.lr=0.002"}}, true},
		{"generator knob", PlanOptions{Sets: []string{"data.tiny.transfer_strength=0"}}, true},
		{"workers", PlanOptions{Workers: 2}, true},
		{"profile", PlanOptions{Profile: "quick"}, true},
		{"default value set explicitly", PlanOptions{Sets: []string{"train.lr=0.001"}}, false},
		{"preparation goroutines", PlanOptions{Sets: []string{"prep.workers=2"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ids(planTest(t, testExperiment, c.o))
			for i := range got {
				if (got[i] != base[i]) != c.changed {
					t.Errorf("run %d: id %s, base %s; want changed = %v", i, got[i], base[i], c.changed)
				}
			}
		})
	}
}

func TestPlanModelOptionChangesOneModel(t *testing.T) {
	base := planTest(t, testExperiment, PlanOptions{})
	got := planTest(t, testExperiment, PlanOptions{Sets: []string{"model.din.dim=32"}})
	for i := range got {
		changed := got[i].ID != base[i].ID
		if changed != (got[i].Model == "din") {
			t.Errorf("model %s: id changed = %v, want %v", got[i].Model, changed, got[i].Model == "din")
		}
	}
}

func TestPlanSeedsAndFilter(t *testing.T) {
	runs := planTest(t, testExperiment, PlanOptions{Seeds: []uint64{1, 2}, Models: []string{"pop", "din"}})
	if len(runs) != 4 {
		t.Fatalf("planned %d runs, want 4 (2 models x 2 seeds)", len(runs))
	}
	for _, r := range runs {
		if r.Config.Train.Seed != r.Seed || r.Config.Prep.Seed != r.Seed || r.Config.Spec.Synthetic.Seed != r.Seed {
			t.Errorf("run %s: train, prep and data seeds %d, %d, %d; want the run seed %d", r.ID,
				r.Config.Train.Seed, r.Config.Prep.Seed, r.Config.Spec.Synthetic.Seed, r.Seed)
		}
		if r.Model == "din" && r.Config.Values["model"]["seed"] != int64(r.Seed) {
			t.Errorf("run %s: recorded model seed %v, want %d", r.ID, r.Config.Values["model"]["seed"], r.Seed)
		}
	}
}

func TestPlanSweep(t *testing.T) {
	text := testExperiment + `
[[sweep]]
name = "dim"
key = "model.din.dim"
values = [8, 16, 32]

[[sweep]]
name = "attn"
key = "model.din.attention_hidden"
values = [[8], [4]]
`
	runs := planTest(t, text, PlanOptions{Models: []string{"pop", "din"}})
	// pop: every point resolves alike, so one run. din: dim 8, 16 (the default, equal to
	// attention [8]) and 32, then attention [4]: four runs.
	var pops, dins int
	for _, r := range runs {
		switch r.Model {
		case "pop":
			pops++
			if r.Sweep != nil {
				t.Errorf("pop run has sweep values %v, want none", r.Sweep)
			}
		case "din":
			dins++
			if _, ok := r.Sweep["dim"]; !ok {
				t.Errorf("din run %s lacks the swept dim: %v", r.ID, r.Sweep)
			}
		}
	}
	if pops != 1 || dins != 4 {
		t.Errorf("planned %d pop and %d din runs, want 1 and 4", pops, dins)
	}
}

func TestPlanErrors(t *testing.T) {
	cases := []struct {
		name string
		text string
		o    PlanOptions
		want string
	}{
		{"unknown model", strings.Replace(testExperiment, `"broken"`, `"brokn"`, 1), PlanOptions{}, `unknown model "brokn": registered models are pop, din, broken`},
		{"pending model", strings.Replace(testExperiment, `"broken"`, `"future"`, 1), PlanOptions{Pending: []string{"future"}}, ""},
		{"unknown variant", strings.Replace(testExperiment, `"broken"`, `"din:small"`, 1), PlanOptions{}, "model din has no variants"},
		{"filter outside the file", testExperiment, PlanOptions{Models: []string{"dhim"}}, `--models: "dhim" is not a model of experiment test`},
		{"set for unknown dataset", testExperiment, PlanOptions{Sets: []string{"data.small.users=5"}}, `unknown dataset "small"`},
		{"unknown profile", testExperiment, PlanOptions{Profile: "slow"}, `unknown profile "slow"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exp, err := parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			c.o.Logger = quietLogger()
			_, err = Plan(exp, testRegistry(t), c.o)
			if c.want == "" {
				if err != nil {
					t.Errorf("Plan: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}
