package dhim

import (
	"sync"
	"testing"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/nn"
)

// tinyData prepares the synthetic kuaisar-shaped tiny preset once per test binary.
var tinyData = sync.OnceValues(func() (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		return nil, err
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, prep.DefaultOptions())
})

func data(t testing.TB) *prep.Prepared {
	t.Helper()
	p, err := tinyData()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tinyOptions shrinks every width so that tests and gradient checks run fast.
func tinyOptions(o Options) Options {
	o.Dim, o.FFNDim, o.FieldDim = 8, 8, 4
	o.AttnHidden = []int{6}
	o.GateHidden, o.AdaptiveHidden, o.ExpertHidden = 5, 5, 6
	o.SharedExperts, o.TaskExperts = 2, 1
	o.TowerHidden, o.HeadHidden = []int{6}, []int{4}
	return o
}

// newTiny builds a tiny model of the named preset.
func newTiny(t testing.TB, preset string) *Model {
	t.Helper()
	o, err := Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(data(t), tinyOptions(o), 7)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trainBatches returns training batches of n rows of each task for epoch 0. Each batch has its
// own builder, so both stay valid together.
func trainBatches(t testing.TB, n int) (rec, search *prep.Batch) {
	t.Helper()
	p := data(t)
	build := func(k int) *prep.Batch {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i * 7 % len(p.Tasks[k].Train)
		}
		return prep.NewBatchBuilder(p, n).BuildTrain(p.Tasks[k].Train, idx, 0)
	}
	return build(0), build(1)
}

// lossOn records the model's loss on a fresh training tape with dropout seed 3.
func lossOn(t testing.TB, m *Model, tape *nn.Tape, rec, search *prep.Batch) *nn.Var {
	t.Helper()
	loss, _, err := m.Loss(tape, rec, search)
	if err != nil {
		t.Fatal(err)
	}
	return loss
}

func newBuilder(p *prep.Prepared, n int) *prep.BatchBuilder { return prep.NewBatchBuilder(p, n) }
