//go:build openblas

package nn

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// DefaultBackend returns the backend that NewTape uses: OpenBLAS in builds with the
// "openblas" tag.
func DefaultBackend() Backend { return OpenBLAS{} }

// OpenBLAS calls cblas_sgemm from the system's OpenBLAS through cgo (build tag "openblas",
// Debian package libopenblas-dev).
//
// The package sets OpenBLAS to one thread at start-up (openblas_set_num_threads(1)), because
// the engine runs one goroutine per batch shard and OpenBLAS's own threads would compete with
// them. Other code in the process that calls OpenBLAS also runs with one thread.
type OpenBLAS struct{}

func init() { C.openblas_set_num_threads(1) }

// Name returns "openblas".
func (OpenBLAS) Name() string { return "openblas" }

// Sgemm implements Backend with cblas_sgemm in row-major order.
func (OpenBLAS) Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	C.cblas_sgemm(C.CblasRowMajor, cblasTrans(transA), cblasTrans(transB),
		C.blasint(m), C.blasint(n), C.blasint(k), C.float(alpha),
		(*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda),
		(*C.float)(unsafe.Pointer(&b[0])), C.blasint(ldb), C.float(beta),
		(*C.float)(unsafe.Pointer(&c[0])), C.blasint(ldc))
}

func cblasTrans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}
