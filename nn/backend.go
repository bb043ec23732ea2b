package nn

import "gonum.org/v1/gonum/blas"
import gonumblas "gonum.org/v1/gonum/blas/gonum"

// Backend computes single-precision matrix products for the tape's ops.
//
// Sgemm follows the row-major BLAS contract: C = alpha * op(A) * op(B) + beta * C, where op(X)
// is X or its transpose as transA and transB select, op(A) is m×k, op(B) is k×n and C is m×n, with
// leading dimensions lda, ldb and ldc. When beta is 0, C's prior contents are ignored.
// Implementations run on the calling goroutine only: the engine parallelises across batch
// shards itself, so a backend must not start threads of its own.
type Backend interface {
	// Name identifies the backend in logs and benchmark records ("gonum", "openblas").
	Name() string
	// Sgemm computes C = alpha * op(A) * op(B) + beta * C as described on Backend.
	Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}

// Gonum is the pure-Go backend on gonum's BLAS (gonum.org/v1/gonum/blas/gonum).
type Gonum struct{}

// Name returns "gonum".
func (Gonum) Name() string { return "gonum" }

// gonum's Sgemm (v0.17.0) starts goroutines once C spans 4 or more 64×64 blocks. Tiles of at
// most gonumTileRows×gonumTileCols keep every call below that, so all work stays on the
// caller's goroutine and the result depends only on the shapes.
const (
	gonumTileRows = 64
	gonumTileCols = 192
)

// Sgemm implements Backend.
func (Gonum) Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	ta, tb := blasTrans(transA), blasTrans(transB)
	impl := gonumblas.Implementation{}
	for i := 0; i < m; i += gonumTileRows {
		mi := min(gonumTileRows, m-i)
		aOff := i * lda
		if transA {
			aOff = i
		}
		for j := 0; j < n; j += gonumTileCols {
			nj := min(gonumTileCols, n-j)
			bOff := j
			if transB {
				bOff = j * ldb
			}
			impl.Sgemm(ta, tb, mi, nj, k, alpha, a[aOff:], lda, b[bOff:], ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}

func blasTrans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// scaleMatrix sets C = beta * C (C = 0 when beta is 0, whatever C held).
func scaleMatrix(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
