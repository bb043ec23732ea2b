package nn

import gonumblas "gonum.org/v1/gonum/blas/gonum"

// axpyMin is the run length from which addScaled calls gonum's assembly Saxpy. Below it, the
// call overhead outweighs the vector instructions.
const axpyMin = 32

// addScaled sets y[i] += alpha·x[i] for i < len(y). x must be at least as long as y.
func addScaled(alpha float32, x, y []float32) {
	n := len(y)
	if n >= axpyMin {
		gonumblas.Implementation{}.Saxpy(n, alpha, x[:n], 1, y, 1)
		return
	}
	x = x[:n]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// addTo sets y[i] += x[i] for i < len(y). x must be at least as long as y.
func addTo(x, y []float32) { addScaled(1, x, y) }

// sum32 returns the sum of x in float32, in order.
func sum32(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v
	}
	return s
}

// addProduct sets y[i] += x[i]·w[i] for i < len(y).
func addProduct(x, w, y []float32) {
	x, w = x[:len(y)], w[:len(y)]
	for i := range y {
		y[i] += x[i] * w[i]
	}
}

// gemmTransposeMinRows is the number of rows of A from which gemm copies a transposed B into
// NoTrans layout for the Gonum backend. It is 1, so every row count takes the same kernel: with
// two kernels a row's result would depend on how many rows share its product, and a model's
// scores on its evaluation batch size.
const gemmTransposeMinRows = 1

// gemm calls t.Backend.Sgemm, except that on the Gonum backend a product A·Bᵀ with at least
// gemmTransposeMinRows rows first copies Bᵀ into a scratch buffer from the tape's pool and
// multiplies without transposes. gonum v0.17.0 computes A·Bᵀ as one dot product per output
// element, which for this engine's short inner dimensions (k = 64) profiled at about half the
// speed of its A·B kernel. The copy costs k·n moves against m·k·n multiply-adds.
func (t *Tape) gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if _, ok := t.Backend.(Gonum); !ok || transA || !transB || m < gemmTransposeMinRows || n == 0 || k == 0 {
		t.Backend.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	bt := t.f32.getDirty(k * n) // Bᵀ as a k×n matrix
	for j := 0; j < n; j++ {
		row := b[j*ldb : j*ldb+k]
		for i, v := range row {
			bt[i*n+j] = v
		}
	}
	t.Backend.Sgemm(false, false, m, n, k, alpha, a, lda, bt, n, beta, c, ldc)
	t.f32.release(bt)
}
