package optim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/srbench/srbench/nn"
)

// The reference embedding step: a 100,000 × 64 item table and a batch of 256 users with 30
// history items each, so at most 7,680 distinct rows get a gradient.
const (
	benchRows    = 100_000
	benchWidth   = 64
	benchTouched = 256 * 30
)

// benchTable returns the table and its touched rows: 7,680 distinct rows drawn from a fixed
// seed, sorted, which is the worst case for a batch of that size.
func benchTable(rowSparse bool) (*nn.Param, []int32) {
	p := newTable("item_emb.weight", benchRows, benchWidth, 1)
	p.RowSparse = rowSparse
	rng := rand.New(rand.NewPCG(2, 2))
	rows := make([]int32, 0, benchTouched)
	for _, r := range rng.Perm(benchRows)[:benchTouched] {
		rows = append(rows, int32(r))
	}
	slices.Sort(rows)
	fillRows(p, rows, rng)
	return p, rows
}

func benchAdam(b *testing.B, rowSparse bool, workers int) {
	p, _ := benchTable(rowSparse)
	cfg := DefaultAdamConfig()
	cfg.WeightDecay, cfg.Workers = 3e-5, workers
	a := mustAdam(b, []*nn.Param{p}, cfg)
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Step(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdamSparse is a lazy Adam step on the table with 7,680 touched rows.
func BenchmarkAdamSparse(b *testing.B) { benchAdam(b, true, 1) }

// BenchmarkAdamSparse2 is BenchmarkAdamSparse with 2 workers.
func BenchmarkAdamSparse2(b *testing.B) { benchAdam(b, true, 2) }

// BenchmarkAdamDense is a dense Adam step on the same table, every row updated.
func BenchmarkAdamDense(b *testing.B) { benchAdam(b, false, 1) }

// BenchmarkAdamDense2 is BenchmarkAdamDense with 2 workers.
func BenchmarkAdamDense2(b *testing.B) { benchAdam(b, false, 2) }

// BenchmarkZeroGradSparse clears the gradient of the 7,680 touched rows.
func BenchmarkZeroGradSparse(b *testing.B) {
	p, rows := benchTable(true)
	params := []*nn.Param{p}
	for b.Loop() {
		p.Rows = append(p.Rows[:0], rows...)
		ZeroGrad(params)
	}
}

// BenchmarkClipGradNormSparse measures the norm over the 7,680 touched rows and scales them.
func BenchmarkClipGradNormSparse(b *testing.B) {
	p, _ := benchTable(true)
	params := []*nn.Param{p}
	for b.Loop() {
		if _, err := ClipGradNorm(params, 1e-3); err != nil {
			b.Fatal(err)
		}
	}
}
