package registry

import (
	"fmt"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/baselines/sesrec"
	"github.com/srbench/srbench/baselines/unifiedssr"
	"github.com/srbench/srbench/baselines/unisar"
	"github.com/srbench/srbench/dhim"
)

func TestDefaultLabels(t *testing.T) {
	reg := Default()
	want := map[string]string{"pop": "Pop", "din": "DIN", "fmlprec": "FMLP-Rec", "bsarec": "BSARec",
		"aem": "AEM", "zam": "ZAM", "mai": "MAI", "sesrec": "SESRec", "unifiedssr": "UnifiedSSR",
		"unisar": "UniSAR", "dhim": "DHIM"}
	for name, label := range want {
		e, err := reg.Get(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if e.Label != label {
			t.Errorf("%s: label %q, want %q", name, e.Label, label)
		}
	}
	for _, name := range Pending() {
		if _, ok := reg.Lookup(name); ok {
			t.Errorf("%s is registered but still listed as pending", name)
		}
	}
}

func TestJointAndTasks(t *testing.T) {
	reg := Default()
	cases := []struct {
		name  string
		joint bool
	}{
		{"din", false}, {"fmlprec", false}, {"bsarec", false}, {"aem", false}, {"zam", false},
		{"mai", false}, {"sesrec", true}, {"unifiedssr", true}, {"unisar", true}, {"dhim", true}, {"pop", false},
	}
	for _, c := range cases {
		e, _ := reg.Get(c.name)
		if e.Joint() != c.joint {
			t.Errorf("%s: joint = %v, want %v", c.name, e.Joint(), c.joint)
		}
	}
}

func TestDefaultOrder(t *testing.T) {
	want := []string{"pop", "din", "fmlprec", "bsarec", "aem", "zam", "mai", "sesrec", "unifiedssr", "unisar", "dhim"}
	if diff := cmp.Diff(want, Default().Names()); diff != "" {
		t.Errorf("Default names, the Table 1 column order (-want +got):\n%s", diff)
	}
	if p := Pending(); len(p) != 0 {
		t.Errorf("Pending = %v, want none: every Table 1 model is registered", p)
	}
}

// TestJointOptionKeys sets keys of the joint baselines' [model.<name>] tables, the way an
// experiment file does, and checks the options that Build receives.
func TestJointOptionKeys(t *testing.T) {
	cases := []struct {
		name, doc string
		check     func(any) string
	}{
		{"unisar", "align_weight = 0.25\nquery_item_pairs = 64\n[features]\ndim = 32\n", func(o any) string {
			c := o.(*unisar.Config)
			return fmt.Sprintf("%v %d %d %d", c.AlignWeight, c.QueryItemPairs, c.Features.Dim, c.Features.FieldDim)
		}},
		{"sesrec", "triplet_margin = 0.5\nhead = [16]\n", func(o any) string {
			c := o.(*sesrec.Config)
			return fmt.Sprintf("%v %v %d", c.TripletMargin, c.Head, c.Features.Dim)
		}},
		{"unifiedssr", "corr_weight = 0.5\nsessions = 3\n", func(o any) string {
			c := o.(*unifiedssr.Config)
			return fmt.Sprintf("%v %d %d", c.CorrWeight, c.Sessions, c.Dim)
		}},
	}
	want := map[string]string{"unisar": "0.25 64 32 32", "sesrec": "0.5 [16] 64", "unifiedssr": "0.5 3 64"}
	for _, c := range cases {
		e, err := Default().Get(c.name)
		if err != nil {
			t.Fatal(err)
		}
		opts, err := e.Options("")
		if err != nil {
			t.Fatal(err)
		}
		md, err := toml.Decode(c.doc, opts)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if u := md.Undecoded(); len(u) > 0 {
			t.Errorf("%s: keys %v have no field", c.name, u)
		}
		if got := c.check(opts); got != want[c.name] {
			t.Errorf("%s: options after decoding %q = %s, want %s", c.name, c.doc, got, want[c.name])
		}
	}
}

func TestDHIMVariants(t *testing.T) {
	e, err := Default().Get("dhim")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Variants) != 13 {
		t.Errorf("dhim has %d variants, want the 13 rows of the ablation table", len(e.Variants))
	}
	opts, err := e.Options("no-csf")
	if err != nil {
		t.Fatal(err)
	}
	if o := opts.(*dhim.Options); o.CSF {
		t.Error("variant no-csf keeps CSF on")
	}
	label, err := e.VariantLabel("no-csf")
	if err != nil || label != "w/o CSF" {
		t.Errorf("label of no-csf = %q, %v; want \"w/o CSF\"", label, err)
	}
	if _, err := e.Options("no-such"); err == nil || !strings.Contains(err.Error(), "no-rec-long") {
		t.Errorf("unknown variant: error = %v, want the list of variants", err)
	}
}

func TestOptionsAreFresh(t *testing.T) {
	e, _ := Default().Get("dhim")
	a, _ := e.Options("")
	a.(*dhim.Options).TowerHidden[0] = 1
	b, _ := e.Options("")
	if b.(*dhim.Options).TowerHidden[0] == 1 {
		t.Error("Options returned a struct that shares a slice with an earlier call")
	}
}

func TestNewRejectsDuplicates(t *testing.T) {
	if _, err := New(popEntry(), popEntry()); err == nil || !strings.Contains(err.Error(), `"pop" is registered twice`) {
		t.Errorf("error = %v, want a duplicate-name error", err)
	}
}

func TestReservedSeed(t *testing.T) {
	e, _ := Default().Get("din")
	if _, ok := e.Reserved()["seed"]; !ok || e.SeedKey() != "seed" {
		t.Errorf("din: reserved %v, seed key %q; want seed reserved", e.Reserved(), e.SeedKey())
	}
	if p, _ := Default().Get("pop"); p.Reserved() != nil {
		t.Errorf("pop: reserved %v, want none", p.Reserved())
	}
}
