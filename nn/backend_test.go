package nn

import "testing"

// naiveGemm computes C = alpha·op(A)·op(B) + beta·C in float64 by the definition.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for l := 0; l < k; l++ {
				ai, bi := i*lda+l, l*ldb+j
				if transA {
					ai = l*lda + i
				}
				if transB {
					bi = j*ldb + l
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
			}
			c[i*ldc+j] = float32(float64(alpha)*s + float64(beta)*float64(c[i*ldc+j]))
		}
	}
}

func TestBackendSgemm(t *testing.T) {
	// 70×200 output spans two row tiles and two column tiles of the gonum backend; k = 9.
	const m, n, k = 70, 200, 9
	for _, be := range benchBackends() {
		for _, tr := range []struct{ a, b bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
			lda, ldb := k, n
			if tr.a {
				lda = m
			}
			if tr.b {
				ldb = k
			}
			a := randParam("a", 1, m*k).Value.Data
			b := randParam("b", 2, k*n).Value.Data
			got := randParam("c", 3, m*n).Value.Data
			want := append([]float32(nil), got...)
			be.Sgemm(tr.a, tr.b, m, n, k, 0.5, a, lda, b, ldb, 2, got, n)
			naiveGemm(tr.a, tr.b, m, n, k, 0.5, a, lda, b, ldb, 2, want, n)
			// float32 sums of 9 products in [-1, 1]: 1e-5 relative covers the rounding.
			assertNear(t, be.Name(), got, want, 1e-5)
		}
	}
}

func TestBackendSgemmEmptyInner(t *testing.T) {
	for _, be := range benchBackends() {
		c := []float32{1, 2, 3, 4}
		be.Sgemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0.5, c, 2)
		assertNear(t, be.Name(), c, []float32{0.5, 1, 1.5, 2}, 0)
	}
}
