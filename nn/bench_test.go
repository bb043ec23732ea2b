package nn

import (
	"fmt"
	"testing"
)

// benchBackends returns the pure-Go backend and, in builds with the "openblas" tag, OpenBLAS.
func benchBackends() []Backend {
	out := []Backend{Gonum{}}
	if d := DefaultBackend(); d.Name() != (Gonum{}).Name() {
		out = append(out, d)
	}
	return out
}

// BenchmarkMatMul times forward and backward of the products in the reference training step
// (B = 256 users, L = 30, d = 64, 2 heads): a dense layer on [B, L, d], the attention scores
// per head, and an MLP layer on the concatenated features.
func BenchmarkMatMul(b *testing.B) {
	shapes := []struct {
		name   string
		a, w   []int
		transB bool
	}{
		{"linear_7680x64x64", []int{256, 30, 64}, []int{64, 64}, true},
		{"scores_512x30x32x30", []int{512, 30, 32}, []int{512, 30, 32}, true},
		{"mlp_256x448x128", []int{256, 448}, []int{448, 128}, false},
	}
	for _, be := range benchBackends() {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("%s/%s", be.Name(), s.name), func(b *testing.B) {
				a, w := randParam("a", 1, s.a...), randParam("w", 2, s.w...)
				tp := NewTape(1)
				tp.Backend = be
				b.ReportAllocs()
				for b.Loop() {
					tp.Reset()
					tp.Backward(Sum(MatMul(tp.Param(a), tp.Param(w), false, s.transB)))
				}
			})
		}
	}
}

// BenchmarkSgemm times one 7680×64×64 product through each backend alone.
func BenchmarkSgemm(b *testing.B) {
	const m, n, k = 7680, 64, 64
	// Random operands: gonum skips the work for zero elements of A.
	a, w := randParam("a", 1, m, k).Value.Data, randParam("w", 2, k, n).Value.Data
	c := make([]float32, m*n)
	for _, be := range benchBackends() {
		b.Run(be.Name(), func(b *testing.B) {
			for b.Loop() {
				be.Sgemm(false, false, m, n, k, 1, a, k, w, n, 0, c, n)
			}
			b.ReportMetric(2*m*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkStep times forward, backward and reduction of the small attention model used by
// the determinism tests, on 256 rows, with 1 and 2 workers.
func BenchmarkStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			m := newStepModel(256)
			tapes := newTapes(workers, 1)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParallelStep(tapes, m.params(), 256, m.loss); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
