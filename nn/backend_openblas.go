//go:build openblas

package nn

/*
#cgo LDFLAGS: -lopenblas -ldl
#include <cblas.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

// srb_generic_core reports whether core names one of the SSE-only kernel sets that OpenBLAS
// picks for a CPU model it does not know.
static int srb_generic_core(const char *core) {
	static const char *generic[] = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai"};
	for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++) {
		if (strcmp(core, generic[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

// srb_select_core re-runs the core selection of a DYNAMIC_ARCH OpenBLAS with OPENBLAS_CORETYPE
// set to the widest kernel set the CPU supports, when OpenBLAS fell back to a generic core and
// the user set no OPENBLAS_CORETYPE. It returns 1 when it changed the core. A build without
// DYNAMIC_ARCH lacks the two re-selection functions and is left as it is.
static int srb_select_core(void) {
	if (getenv("OPENBLAS_CORETYPE") != NULL || !srb_generic_core(openblas_get_corename())) {
		return 0;
	}
	__builtin_cpu_init();
	const char *want = NULL;
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
		__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
		__builtin_cpu_supports("avx512vl")) {
		want = "SkylakeX";
	} else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		want = "Haswell";
	}
	void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
	void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
	if (want == NULL || quit == NULL || init == NULL) {
		return 0;
	}
	setenv("OPENBLAS_CORETYPE", want, 1);
	quit();
	init();
	unsetenv("OPENBLAS_CORETYPE");
	return 1;
}
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
//
// OpenBLAS 0.3.21 (Debian 12) does not know recent Intel models such as the Xeon of model 207
// and runs them on its SSE3 "Prescott" kernels. On that Xeon its sgemm reached 28-30 GFLOP/s on
// the linear layers of DHIM's fusion block, against 106-122 GFLOP/s with the AVX-512 "SkylakeX"
// kernels (BenchmarkSgemmShapes).
// So the package re-selects the core at start-up when three things hold: OpenBLAS fell back to
// such a generic core, the environment sets no OPENBLAS_CORETYPE, and the library can re-select
// (a DYNAMIC_ARCH build, as Debian's is). It picks SkylakeX on CPUs with AVX-512 (F, CD, BW, DQ,
// VL) and Haswell on CPUs with AVX2 and FMA. Setting OPENBLAS_CORETYPE keeps the user's choice.
type OpenBLAS struct{}

// blasCore is OpenBLAS's kernel set after start-up, such as "SkylakeX".
var blasCore string

func init() {
	C.srb_select_core()
	C.openblas_set_num_threads(1)
	blasCore = C.GoString(C.openblas_get_corename())
}

// Name returns "openblas/" followed by OpenBLAS's kernel set, such as "openblas/SkylakeX".
func (OpenBLAS) Name() string { return "openblas/" + blasCore }

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
