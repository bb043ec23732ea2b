package train

import (
	"math"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config is invalid: %v", err)
	}
	tests := []struct {
		name   string
		edit   func(c *Config)
		wanted string
	}{
		{"epochs", func(c *Config) { c.Epochs = 0 }, "epochs = 0"},
		{"batch", func(c *Config) { c.BatchSize = -1 }, "batch_size = -1"},
		{"lr", func(c *Config) { c.LR = 0 }, "lr = 0"},
		{"lr nan", func(c *Config) { c.LR = math.NaN() }, "lr = NaN"},
		{"l2", func(c *Config) { c.L2 = -1e-5 }, "l2 = -1e-05"},
		{"patience", func(c *Config) { c.Patience = 0 }, "patience = 0"},
		{"lr patience", func(c *Config) { c.LRPatience = -1 }, "lr_patience = -1"},
		{"factor", func(c *Config) { c.LRFactor = 1 }, "lr_factor = 1"},
		{"min lr", func(c *Config) { c.MinLR = 1 }, "min_lr = 1"},
		{"workers", func(c *Config) { c.Workers = 0 }, "workers = 0"},
		{"eval batch", func(c *Config) { c.EvalBatchSize = 0 }, "eval_batch_size = 0"},
		{"max steps", func(c *Config) { c.MaxStepsPerEpoch = -2 }, "max_steps_per_epoch = -2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.wanted) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wanted)
			}
		})
	}
}

func TestParseVmHWM(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int64
		ok   bool
	}{
		{"linux", "Name:\tgo\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n", 123456 * 1024, true},
		{"missing", "Name:\tgo\nVmRSS:\t 1000 kB\n", 0, false},
		{"bad unit", "VmHWM:\t 12 MB\n", 0, false},
		{"bad number", "VmHWM:\t x kB\n", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseVmHWM([]byte(tt.text))
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: parseVmHWM = %d, %t; want %d, %t", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if peakRSS() <= 0 {
		t.Error("peakRSS() is not positive")
	}
}
