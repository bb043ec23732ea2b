package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/srbench/srbench/nn"
)

func newSGD(t *testing.T, lr float64) *SGD {
	t.Helper()
	s, err := NewSGD([]*nn.Param{newParam("w", []int{1}, nil)}, lr, 0)
	if err != nil {
		t.Fatalf("NewSGD: %v", err)
	}
	return s
}

// TestPlateauSchedule replays metric sequences and compares the learning rate after every
// epoch with a trace worked out from PyTorch's ReduceLROnPlateau rules.
func TestPlateauSchedule(t *testing.T) {
	cases := []struct {
		name    string
		cfg     func(*PlateauConfig)
		metrics []float64
		wantLR  []float64
	}{
		{
			// Epoch 1 sets the best; epochs 2–4 are 3 bad epochs (= patience); epoch 5 is the
			// 4th and reduces. Epoch 6 improves, so 7–9 are tolerated again.
			name:    "patience 3",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor = Max, 3, 0.1 },
			metrics: []float64{0.5, 0.5, 0.4, 0.5, 0.3, 0.6, 0.6, 0.6, 0.6, 0.6},
			wantLR:  []float64{1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01},
		},
		{
			// The reduction at epoch 3 starts a cooldown of epochs 4 and 5, whose bad epochs are
			// not counted. Epochs 6 and 7 are counted, so epoch 7 reduces again.
			name:    "cooldown",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor, c.Cooldown = Max, 1, 0.5, 2 },
			metrics: []float64{0, 0, 0, 0, 0, 0, 0},
			wantLR:  []float64{1, 1, 0.5, 0.5, 0.5, 0.5, 0.25},
		},
		{
			// With patience 0 each bad epoch reduces. The second reduction stops at MinLR. The
			// third would change the rate by less than Eps, so it is skipped.
			name:    "min lr",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor, c.MinLR = Max, 0, 0.1, 0.05 },
			metrics: []float64{1, 1, 1, 1},
			wantLR:  []float64{1, 0.1, 0.05, 0.05},
		},
		{
			// 0.50004 is below 0.5·(1+1e-4) = 0.50005, so it is a bad epoch; 0.6 improves.
			name:    "relative threshold",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor = Max, 1, 0.5 },
			metrics: []float64{0.5, 0.50004, 0.6, 0.60001, 0.7},
			wantLR:  []float64{1, 1, 1, 1, 1},
		},
		{
			name:    "relative threshold reduces",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor = Max, 1, 0.5 },
			metrics: []float64{0.5, 0.50004, 0.50004},
			wantLR:  []float64{1, 1, 0.5},
		},
		{
			name: "absolute threshold",
			cfg: func(c *PlateauConfig) {
				c.Mode, c.Patience, c.Factor, c.ThresholdMode, c.Threshold = Max, 0, 0.5, Abs, 0.1
			},
			metrics: []float64{1, 1.05, 1.2},
			wantLR:  []float64{1, 0.5, 0.5},
		},
		{
			name:    "min mode",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor = Min, 1, 0.5 },
			metrics: []float64{2, 1, 1.5, 1.2, 0.5},
			wantLR:  []float64{1, 1, 1, 0.5, 0.5},
		},
		{
			name:    "nan is bad",
			cfg:     func(c *PlateauConfig) { c.Mode, c.Patience, c.Factor = Max, 0, 0.5 },
			metrics: []float64{0.3, math.NaN()},
			wantLR:  []float64{1, 0.5},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultPlateauConfig()
			c.cfg(&cfg)
			opt := newSGD(t, 1)
			p, err := NewPlateau(opt, cfg)
			if err != nil {
				t.Fatalf("NewPlateau: %v", err)
			}
			for i, m := range c.metrics {
				before := opt.LR()
				reduced := p.Step(m)
				if math.Abs(opt.LR()-c.wantLR[i]) > 1e-12 {
					t.Errorf("epoch %d (metric %v): lr = %v, want %v", i+1, m, opt.LR(), c.wantLR[i])
				}
				if reduced != (opt.LR() < before) {
					t.Errorf("epoch %d: Step returned %v, but lr went %v -> %v", i+1, reduced, before, opt.LR())
				}
			}
		})
	}
}

func TestPlateauConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*PlateauConfig)
		want string
	}{
		{"factor one", func(c *PlateauConfig) { c.Factor = 1 }, "factor 1"},
		{"negative patience", func(c *PlateauConfig) { c.Patience = -1 }, "patience -1"},
		{"negative cooldown", func(c *PlateauConfig) { c.Cooldown = -2 }, "cooldown -2"},
		{"mode", func(c *PlateauConfig) { c.Mode = 7 }, "mode 7"},
		{"threshold mode", func(c *PlateauConfig) { c.ThresholdMode = 3 }, "threshold mode 3"},
		{"nan threshold", func(c *PlateauConfig) { c.Threshold = math.NaN() }, "threshold NaN"},
		{"negative min lr", func(c *PlateauConfig) { c.MinLR = -1 }, "min LR -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultPlateauConfig()
			c.edit(&cfg)
			_, err := NewPlateau(newSGD(t, 1), cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewPlateau error = %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := NewPlateau(nil, DefaultPlateauConfig()); err == nil {
		t.Errorf("NewPlateau accepted a nil optimizer")
	}
}

func TestPlateauStateResume(t *testing.T) {
	cfg := UniSARPlateauConfig()
	optA := newSGD(t, 1e-3)
	a, _ := NewPlateau(optA, cfg)
	for _, m := range []float64{0.2, 0.1, 0.1} {
		a.Step(m)
	}
	optB := newSGD(t, 1e-3)
	b, _ := NewPlateau(optB, cfg)
	if err := b.SetState(a.State()); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	for _, m := range []float64{0.1, 0.1} {
		if ra, rb := a.Step(m), b.Step(m); ra != rb {
			t.Errorf("resumed schedule diverged: %v vs %v", ra, rb)
		}
	}
	if math.Abs(optA.LR()-1e-4) > 1e-15 || optB.LR() != optA.LR() {
		t.Errorf("learning rates %v and %v, want both 1e-4", optA.LR(), optB.LR())
	}
	if err := b.SetState(PlateauState{BadEpochs: -1}); err == nil {
		t.Errorf("SetState accepted a negative counter")
	}
}

func TestUniSARPlateauConfig(t *testing.T) {
	c := UniSARPlateauConfig()
	if c.Mode != Max || c.Patience != 3 || c.MinLR != 1e-6 || c.Factor != 0.1 || c.Threshold != 1e-4 || c.ThresholdMode != Rel {
		t.Errorf("UniSARPlateauConfig() = %+v", c)
	}
}
