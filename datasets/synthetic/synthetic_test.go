package synthetic

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
)

func mustPreset(t *testing.T, shape, size string) Config {
	t.Helper()
	c, err := Preset(shape, size)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustGenerate(t *testing.T, c Config) *datasets.Dataset {
	t.Helper()
	ds, err := Generate(c)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return ds
}

func TestGenerateDeterministic(t *testing.T) {
	for _, shape := range []string{ShapeKuaiSAR, ShapeAmazon} {
		t.Run(shape, func(t *testing.T) {
			c := mustPreset(t, shape, SizeTiny)
			a := mustGenerate(t, c)
			if err := a.Validate(); err != nil {
				t.Fatalf("generated dataset is invalid: %v", err)
			}
			prev := runtime.GOMAXPROCS(1)
			b := mustGenerate(t, c)
			runtime.GOMAXPROCS(prev)
			// reflect.DeepEqual first: cmp.Diff takes seconds on 18,000 behaviours.
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("same config, different datasets:\n%s", cmp.Diff(a, b))
			}
			c.Seed++
			other := mustGenerate(t, c)
			if reflect.DeepEqual(a.Users, other.Users) {
				t.Error("another seed gave the same users")
			}
		})
	}
}

func TestPresets(t *testing.T) {
	for _, shape := range []string{ShapeKuaiSAR, ShapeAmazon} {
		for _, size := range []string{SizeTiny, SizeDefault, SizeFull} {
			c := mustPreset(t, shape, size)
			if err := c.Validate(); err != nil {
				t.Errorf("%s/%s: %v", shape, size, err)
			}
		}
	}
	full := mustPreset(t, ShapeKuaiSAR, SizeFull)
	if full.Users != 25877 || full.Items != 6890707 {
		t.Errorf("kuaisar full: %d users, %d items; want KuaiSAR's 25877 and 6890707", full.Users, full.Items)
	}
}

func TestPresetErrors(t *testing.T) {
	cases := []struct{ shape, size, want string }{
		{"kuai", SizeTiny, `unknown shape "kuai"`},
		{ShapeAmazon, "huge", `unknown size "huge"`},
	}
	for _, c := range cases {
		_, err := Preset(c.shape, c.size)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Preset(%q, %q) error %v, want it to contain %q", c.shape, c.size, err, c.want)
		}
	}
}

func TestValidateNamesField(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"shape", func(c *Config) { c.Shape = "x" }, "shape"},
		{"items below leaves", func(c *Config) { c.Items = 3 }, "items = 3"},
		{"strength above 1", func(c *Config) { c.TransferStrength = 1.5 }, "transfer_strength = 1.5"},
		{"amazon clicks", func(c *Config) { c.Shape, c.ClicksPerSearch = ShapeAmazon, 2 }, "clicks_per_search"},
		{"empty levels", func(c *Config) { c.CategoriesPerLevel = nil }, "categories_per_level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustPreset(t, ShapeKuaiSAR, SizeTiny)
			tc.edit(&c)
			_, err := Generate(c)
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %v, want it to name %q", err, tc.field)
			}
		})
	}
}

func TestShapes(t *testing.T) {
	kuai := mustGenerate(t, mustPreset(t, ShapeKuaiSAR, SizeTiny))
	sessions, clicks, over5 := 0, 0, 0
	for _, u := range kuai.Users {
		for _, b := range u.Stream {
			if b.Kind == datasets.Search {
				sessions++
				clicks += len(b.Clicks)
				if len(b.Clicks) > 5 {
					over5++
				}
			}
		}
	}
	if mean := float64(clicks) / float64(sessions); mean < 1.4 || mean > 1.8 {
		t.Errorf("kuaisar: %.2f clicks per session, want about 1.6", mean)
	}
	if over5 == 0 {
		t.Error("kuaisar: no session has more than 5 clicks, so click capping goes untested")
	}
	amazon := mustGenerate(t, mustPreset(t, ShapeAmazon, SizeTiny))
	for _, u := range amazon.Users {
		for _, b := range u.Stream {
			if b.Kind == datasets.Search && len(b.Clicks) != 1 {
				t.Fatalf("amazon: user %s has a session with %d clicks, want 1", u.Key, len(b.Clicks))
			}
		}
	}
}
