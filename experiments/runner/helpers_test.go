package runner

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/srbench/srbench/baselines/din"
	"github.com/srbench/srbench/baselines/pop"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/experiments/config"
	"github.com/srbench/srbench/experiments/registry"
	"github.com/srbench/srbench/experiments/train"
)

// testExperiment is a tiny experiment: 80 synthetic users, 19 evaluation negatives, two
// epochs of two steps. The broken model fails when it is built.
const testExperiment = `seeds = [1]
models = ["pop", "din", "broken"]

[train]
epochs = 2
max_steps_per_epoch = 2
batch_size = 32

[prep]
eval_negatives = 19

[data.tiny]
source = "synthetic"
shape = "kuaisar"
size = "tiny"
users = 80
`

// brokenOptions are the options of the model that fails to build.
type brokenOptions struct {
	Reason string `toml:"reason"`
}

// testRegistry registers pop, DIN and a model whose constructor always fails.
func testRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	popEntry := registry.Define(registry.Spec[struct{}]{
		Name: "pop", Label: "Pop", Tasks: []datasets.Kind{datasets.Rec, datasets.Search},
		Options: func(string) (struct{}, error) { return struct{}{}, nil },
		Build: func(data *prep.Prepared, _ struct{}, _ uint64) (train.Model, error) {
			return pop.New(data)
		},
	})
	dinEntry := registry.Define(registry.Spec[din.Config]{
		Name: "din", Label: "DIN", Tasks: []datasets.Kind{datasets.Rec}, SeedKey: "seed",
		Options: func(string) (din.Config, error) {
			c := din.DefaultConfig()
			c.Dim, c.AttentionHidden, c.HeadHidden = 16, []int{8}, []int{16}
			return c, nil
		},
		Build: func(data *prep.Prepared, c din.Config, seed uint64) (train.Model, error) {
			c.Seed = seed
			return din.New(data, c)
		},
	})
	broken := registry.Define(registry.Spec[brokenOptions]{
		Name: "broken", Label: "Broken", Tasks: []datasets.Kind{datasets.Rec},
		Options: func(string) (brokenOptions, error) { return brokenOptions{Reason: "built to fail"}, nil },
		Build: func(_ *prep.Prepared, o brokenOptions, _ uint64) (train.Model, error) {
			return nil, errors.New(o.Reason)
		},
	})
	reg, err := registry.New(popEntry, dinEntry, broken)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// planTest plans text with the test registry and the given options.
func planTest(t *testing.T, text string, o PlanOptions) []Run {
	t.Helper()
	exp, err := config.ParseExperiment("test", "test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	o.Logger = quietLogger()
	runs, err := Plan(exp, testRegistry(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// execute runs the runs under dir with a shared cache.
func execute(t *testing.T, ctx context.Context, runs []Run, dir, cache string, jobs int) (*Summary, error) {
	t.Helper()
	return Execute(ctx, runs, Options{Dir: dir, CacheDir: cache, Jobs: jobs, Logger: quietLogger(), Progress: io.Discard})
}

// selectRuns keeps the runs of the named models.
func selectRuns(runs []Run, models ...string) []Run {
	var out []Run
	for _, r := range runs {
		for _, m := range models {
			if r.Model == m {
				out = append(out, r)
			}
		}
	}
	return out
}

func parse(text string) (*config.Experiment, error) {
	return config.ParseExperiment("test", "test.toml", []byte(text))
}
