package checkpoint

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// benchModel returns a 100,000 × 64 item table, the size of the reference workload, and the
// Adam state for it (two moments and per-row step counts, about 77 MB in all).
func benchModel(b *testing.B) ([]*nn.Param, Contents) {
	table := &nn.Param{Name: "item_emb.weight", Value: nn.NewTensor(100_000, 64), RowSparse: true}
	for i := range table.Value.Data {
		table.Value.Data[i] = float32(i%1000) * 1e-3
	}
	params := []*nn.Param{table}
	a, err := optim.NewAdam(params, optim.DefaultAdamConfig())
	if err != nil {
		b.Fatal(err)
	}
	return params, Contents{Epoch: 1, Optimizer: a.State()}
}

// quiet silences the save and load log lines for the benchmark's duration.
func quiet(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(func() { slog.SetDefault(prev) })
}

func BenchmarkSave(b *testing.B) {
	quiet(b)
	params, c := benchModel(b)
	path := filepath.Join(b.TempDir(), "bench.ckpt")
	for b.Loop() {
		if err := Save(path, params, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	quiet(b)
	params, c := benchModel(b)
	path := filepath.Join(b.TempDir(), "bench.ckpt")
	if err := Save(path, params, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path, params, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
