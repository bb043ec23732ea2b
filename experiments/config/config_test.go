package config

import (
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets/source"
)

// fakeOptions stands for a model's options struct.
type fakeOptions struct {
	Dim  int     `toml:"dim"`
	Kind string  `toml:"kind"`
	Rate float64 `toml:"rate"`
	Seed uint64  `toml:"seed"`
}

func (o fakeOptions) Validate() error {
	if o.Kind != "a" && o.Kind != "b" {
		return errorString(`fake options: kind = "` + o.Kind + `" is invalid: use one of "a", "b"`)
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

const testFile = `description = "test"
seeds = [1, 2]
models = ["fake", "fake:v2"]

[train]
epochs = 5
lr = 0.002

[data.small]
source = "synthetic"
shape = "amazon"
size = "tiny"
users = 50

[model.fake]
dim = 16
`

func mustParse(t *testing.T, text string) *Experiment {
	t.Helper()
	e, err := ParseExperiment("test", "test.toml", []byte(text))
	if err != nil {
		t.Fatalf("ParseExperiment: %v", err)
	}
	return e
}

// resolve resolves the fake model on dataset "small" over the experiment layer and extra.
func resolve(t *testing.T, e *Experiment, extra ...*Layer) (*Resolved, error) {
	t.Helper()
	model := &Layer{Name: "model fake", Train: Tree{"epochs": int64(7), "batch_size": int64(99)}}
	return Resolve(RunSpec{
		Model: "fake", Options: &fakeOptions{Dim: 8, Kind: "a", Rate: 0.5}, ModelLayer: model,
		Reserved: map[string]string{"seed": "the experiment seed sets it"},
		Dataset:  "small", Seed: 3, Layers: append([]*Layer{e.Layer}, extra...),
	})
}

func TestParseExperiment(t *testing.T) {
	e := mustParse(t, testFile)
	if len(e.Seeds) != 2 || e.Seeds[0] != 1 || e.Seeds[1] != 2 {
		t.Errorf("seeds = %v, want [1 2]", e.Seeds)
	}
	if len(e.Models) != 2 || e.Models[1] != (ModelRef{"fake", "v2"}) {
		t.Errorf("models = %v, want [fake fake:v2]", e.Models)
	}
	if len(e.Datasets) != 1 || e.Datasets[0] != "small" {
		t.Errorf("datasets = %v, want [small]", e.Datasets)
	}
}

func TestPrecedence(t *testing.T) {
	e := mustParse(t, testFile)
	profile := &Layer{Name: "profile p", Train: Tree{"epochs": int64(2), "patience": int64(4)}, Synthetic: Tree{"users": int64(40)}}
	cli := &Layer{Name: "--set"}
	for _, s := range []string{"train.patience=9", "model.fake.kind=b"} {
		if err := cli.ParseSet(s); err != nil {
			t.Fatal(err)
		}
	}
	r, err := resolve(t, e, profile, cli)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key    string
		got    any
		want   any
		origin string
	}{
		{"train.batch_size", r.Train.BatchSize, 99, "model fake"},         // model layer over defaults
		{"train.l2", r.Train.L2, 1e-5, "family amazon"},                   // dataset layer over defaults
		{"train.lr", r.Train.LR, 0.002, "test.toml"},                      // experiment file
		{"train.epochs", r.Train.Epochs, 2, "profile p"},                  // profile over file and model
		{"train.patience", r.Train.Patience, 9, "--set"},                  // command line over profile
		{"model.fake.dim", r.Options.(*fakeOptions).Dim, 16, "test.toml"}, // file over model defaults
		{"model.fake.kind", r.Options.(*fakeOptions).Kind, "b", "--set"},
		{"data.small.users", r.Spec.Synthetic.Users, 40, "profile p"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.key, c.got, c.want)
		}
		if r.Origin[c.key] != c.origin {
			t.Errorf("origin of %s = %q, want %q", c.key, r.Origin[c.key], c.origin)
		}
	}
	if r.Train.Seed != 3 || r.Prep.Seed != 3 || r.Spec.Synthetic.Seed != 3 {
		t.Errorf("seeds train %d prep %d data %d, want 3 each", r.Train.Seed, r.Prep.Seed, r.Spec.Synthetic.Seed)
	}
	if r.Family != FamilyAmazon {
		t.Errorf("family = %q, want %q", r.Family, FamilyAmazon)
	}
	if r.Values["train"]["epochs"] != int64(2) || r.Values["model"]["kind"] != "b" || r.Values["data"]["users"] != int64(40) {
		t.Errorf("values do not match the resolved settings: %v", r.Values)
	}
}

func TestDataSeedOverride(t *testing.T) {
	e := mustParse(t, strings.Replace(testFile, "users = 50", "users = 50\nseed = 11", 1))
	r, err := resolve(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if r.Spec.Seed != 11 || r.Spec.Synthetic.Seed != 11 {
		t.Errorf("data seed = %d (generator %d), want 11 from the file", r.Spec.Seed, r.Spec.Synthetic.Seed)
	}
	if r.Train.Seed != 3 {
		t.Errorf("train seed = %d, want the run seed 3", r.Train.Seed)
	}
}

func TestResolveErrors(t *testing.T) {
	cases := []struct {
		name string
		text string
		set  string
		want []string
	}{
		{"unknown train key", strings.Replace(testFile, "lr = 0.002", "lrate = 0.002", 1), "",
			[]string{"test.toml:7:", "[train]", `unknown key "lrate"`, "accepted keys are", "batch_size", "lr_factor"}},
		{"unknown model key", strings.Replace(testFile, "dim = 16", "width = 16", 1), "",
			[]string{"test.toml:16:", "[model.fake]", `"width"`, "dim, kind, rate"}},
		{"wrong type", strings.Replace(testFile, "epochs = 5", `epochs = "five"`, 1), "",
			[]string{"test.toml:6:", `epochs = "five" is invalid`, "string"}},
		{"reserved seed", testFile, "train.seed=4",
			[]string{"--set", `key "seed" cannot be set here`, "seeds"}},
		{"reserved model seed", testFile, "model.fake.seed=4",
			[]string{"--set", "[model.fake]", `"seed"`}},
		{"invalid source", strings.Replace(testFile, `source = "synthetic"`, `source = "synthtic"`, 1), "",
			[]string{"dataset small", `"synthtic"`, `"synthetic" "kuaisar" "kuaisar-r" "amazon"`}},
		{"invalid size", testFile, "data.small.size=huge",
			[]string{"dataset small", `"huge"`, "tiny", "default", "full"}},
		{"invalid family", testFile, "data.small.family=Kindle",
			[]string{"family \"Kindle\" is invalid", "KuaiSAR", "Amazon"}},
		{"invalid model enum", testFile, "model.fake.kind=c",
			[]string{"[model.fake]", "--set", `kind = "c" is invalid`, `"a", "b"`}},
		{"invalid train value", testFile, "train.lr_factor=2",
			[]string{"[train]", "lr_factor = 2 is invalid"}},
		{"generator key on real data", strings.Replace(testFile, `source = "synthetic"`, `source = "kuaisar-r"`, 1), "",
			[]string{"test.toml:13:", `unknown key "users" for source "kuaisar-r"`, "search_prob"}},
		{"unknown generator key", testFile, "data.small.userz=3",
			[]string{"--set", `unknown key "userz"`, "users", "vocab_size"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustParse(t, c.text)
			cli := &Layer{Name: "--set"}
			if c.set != "" {
				if err := cli.ParseSet(c.set); err != nil {
					t.Fatal(err)
				}
			}
			_, err := resolve(t, e, cli)
			if err == nil {
				t.Fatal("Resolve succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseExperimentErrors(t *testing.T) {
	cases := []struct {
		name string
		text string
		want string
	}{
		{"unknown top-level key", "seed = [1]\n" + testFile, `test.toml:1: unknown key "seed": accepted keys are data, description, model, models, prep, seeds, sweep, synthetic, train`},
		{"no seeds", strings.Replace(testFile, "seeds = [1, 2]", "", 1), "seeds must be a non-empty list"},
		{"zero seed", strings.Replace(testFile, "seeds = [1, 2]", "seeds = [0]", 1), "seed 0 is invalid"},
		{"repeated model", strings.Replace(testFile, `"fake:v2"`, `"fake"`, 1), `model "fake" is listed twice`},
		{"no data", testFile[:strings.Index(testFile, "[data.small]")], "no datasets"},
		{"train not a table", strings.Replace(testFile, "[train]\nepochs = 5\nlr = 0.002\n", "", 1) + "\n", ""},
		{"bad sweep key", testFile + "\n[[sweep]]\nname = \"x\"\nkey = \"optim.lr\"\nvalues = [1]\n", `unknown section "optim"`},
		{"sweep without values", testFile + "\n[[sweep]]\nname = \"x\"\nkey = \"train.lr\"\n", "non-empty values list"},
		{"invalid TOML", testFile + "\n[train\n", "invalid TOML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseExperiment("test", "test.toml", []byte(c.text))
			if c.want == "" {
				if err != nil {
					t.Fatalf("ParseExperiment: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestParseSet(t *testing.T) {
	cases := []struct {
		arg     string
		section string
		key     string
		want    any
	}{
		{"train.epochs=10", "train", "epochs", int64(10)},
		{"train.lr=1e-3", "train", "lr", 1e-3},
		{"data.kuaisar-r.path=../data/kuaisar-r", "data", "path", "../data/kuaisar-r"},
		{`data.x.shape="amazon"`, "data", "shape", "amazon"},
		{"model.dhim.csf=false", "model", "csf", false},
	}
	for _, c := range cases {
		l := &Layer{}
		if err := l.ParseSet(c.arg); err != nil {
			t.Fatalf("ParseSet(%q): %v", c.arg, err)
		}
		var got any
		switch c.section {
		case "train":
			got = l.Train[c.key]
		case "data":
			for _, t := range l.Data {
				got = t[c.key]
			}
		case "model":
			got = l.Model["dhim"][c.key]
		}
		if got != c.want {
			t.Errorf("ParseSet(%q) stored %#v, want %#v", c.arg, got, c.want)
		}
	}
	l := &Layer{}
	if err := l.ParseSet("model.dhim.hidden=[64, 16]"); err != nil {
		t.Fatal(err)
	}
	if list, ok := l.Model["dhim"]["hidden"].([]any); !ok || len(list) != 2 {
		t.Errorf("list value stored as %#v, want two elements", l.Model["dhim"]["hidden"])
	}
	for _, bad := range []string{"epochs=1", "train.epochs", "optim.lr=1", "data.x=1", "train..lr=1"} {
		if err := (&Layer{}).ParseSet(bad); err == nil {
			t.Errorf("ParseSet(%q) succeeded, want an error", bad)
		}
	}
}

func TestCheckNames(t *testing.T) {
	l := &Layer{Name: "--set"}
	_ = l.Set("model.dhm.gamma", 0.1)
	err := CheckNames([]*Layer{l}, []string{"pop", "dhim"}, []string{"kuaisar"})
	if err == nil || !strings.Contains(err.Error(), `unknown model "dhm": known models are pop, dhim`) {
		t.Errorf("model typo: error = %v", err)
	}
	l = &Layer{Name: "--set"}
	_ = l.Set("data.kuaisr.users", int64(5))
	err = CheckNames([]*Layer{l}, []string{"pop"}, []string{"kuaisar"})
	if err == nil || !strings.Contains(err.Error(), `unknown dataset "kuaisr"`) {
		t.Errorf("dataset typo: error = %v", err)
	}
}

func TestProfiles(t *testing.T) {
	for _, name := range Profiles() {
		if _, err := Profile(name); err != nil {
			t.Errorf("profile %s: %v", name, err)
		}
	}
	if _, err := Profile("slow"); err == nil || !strings.Contains(err.Error(), `"quick"`) {
		t.Errorf("unknown profile: error = %v, want the list of profiles", err)
	}
	for _, f := range []string{FamilyKuaiSAR, FamilyAmazon} {
		if _, err := familyLayer(f); err != nil {
			t.Errorf("family %s: %v", f, err)
		}
	}
}

func TestRealSourceWithoutPath(t *testing.T) {
	text := strings.Replace(testFile, "source = \"synthetic\"\nshape = \"amazon\"\nsize = \"tiny\"\nusers = 50", `source = "kuaisar-r"`, 1)
	r, err := resolve(t, mustParse(t, text))
	if err != nil {
		t.Fatalf("Resolve without a path: %v (a missing path is reported when the run starts)", err)
	}
	if r.Spec.Source != source.KuaiSARR || r.Family != FamilyKuaiSAR || r.Spec.Synthetic != nil {
		t.Errorf("spec = %+v, family %q; want kuaisar-r of family KuaiSAR", r.Spec, r.Family)
	}
}

func TestFindLine(t *testing.T) {
	text := "a = 1\n[data.\"x-y\"]\n  b = 2\n[[sweep]]\nname = \"n\"\n"
	cases := []struct {
		table []string
		key   string
		want  int
	}{
		{nil, "a", 1},
		{[]string{"data", "x-y"}, "", 2},
		{[]string{"data", "x-y"}, "b", 3},
		{[]string{"sweep"}, "name", 5},
		{[]string{"data"}, "b", 0},
	}
	for _, c := range cases {
		if got := findLine(text, c.table, c.key); got != c.want {
			t.Errorf("findLine(%v, %q) = %d, want %d", c.table, c.key, got, c.want)
		}
	}
}
