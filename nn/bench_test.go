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

// BenchmarkSgemmShapes times the products of a DHIM training step at batch 256 on the
// KuaiSAR-like data through each backend alone. They are the fusion block's linear layers over
// 60 positions of 256 rows (forward, and the weight gradient with a transposed A), the attention
// products of one head per row, and the prediction layer over 5 candidates of 512 rows.
func BenchmarkSgemmShapes(b *testing.B) {
	shapes := []struct {
		name           string
		m, n, k, batch int
		transA, transB bool
	}{
		{"qkv_15360x192x64", 15360, 192, 64, 1, false, true},
		{"linear_15360x64x64", 15360, 64, 64, 1, false, true},
		{"weight_grad_64x192x15360", 64, 192, 15360, 1, true, false},
		{"scores_30x30x32_x1024", 30, 30, 32, 1024, false, true},
		{"context_30x32x30_x1024", 30, 32, 30, 1024, false, false},
		{"scores_60x60x32_x1024", 60, 60, 32, 1024, false, true},
		{"ple_2560x64x448", 2560, 64, 448, 1, false, true},
	}
	for _, be := range benchBackends() {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("%s/%s", be.Name(), s.name), func(b *testing.B) {
				a := randParam("a", 1, s.batch, s.m*s.k).Value.Data
				w := randParam("w", 2, s.batch, s.k*s.n).Value.Data
				c := make([]float32, s.batch*s.m*s.n)
				lda, ldb := s.k, s.n
				if s.transA {
					lda = s.m
				}
				if s.transB {
					ldb = s.k
				}
				for b.Loop() {
					for i := range s.batch {
						be.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a[i*s.m*s.k:], lda, w[i*s.k*s.n:], ldb, 0, c[i*s.m*s.n:], s.n)
					}
				}
				flops := 2 * float64(s.m*s.n*s.k*s.batch)
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
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
