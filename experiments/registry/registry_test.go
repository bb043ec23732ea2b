package registry

import (
	"strings"
	"testing"

	"github.com/srbench/srbench/dhim"
)

func TestDefaultLabels(t *testing.T) {
	reg := Default()
	want := map[string]string{"pop": "Pop", "din": "DIN", "fmlprec": "FMLP-Rec", "bsarec": "BSARec",
		"aem": "AEM", "zam": "ZAM", "mai": "MAI", "unisar": "UniSAR", "dhim": "DHIM"}
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
		{"mai", false}, {"unisar", true}, {"dhim", true}, {"pop", false},
	}
	for _, c := range cases {
		e, _ := reg.Get(c.name)
		if e.Joint() != c.joint {
			t.Errorf("%s: joint = %v, want %v", c.name, e.Joint(), c.joint)
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
