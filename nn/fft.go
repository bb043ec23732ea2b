package nn

import (
	"fmt"
	"math"
)

// The real FFT ops compute the discrete Fourier transform as a matrix product. For the
// sequence lengths of the harness's models (30 to 50) one small GEMM per sequence costs
// O(L²·d), which is cheap at these lengths, and the gradient is the transposed product. The
// matrices are computed in float64 and stored in float32 once per length and tape.

// dftMatrices holds, for sequence length n and f = n/2+1 frequency bins, the forward matrices
// (re = cr·x, im = ci·x, each [f, n]) and the inverse ones (x = ar·re + ai·im, each [n, f]).
type dftMatrices struct {
	n, f           int
	cr, ci, ar, ai []float32
}

func newDFTMatrices(n int) *dftMatrices {
	f := n/2 + 1
	m := &dftMatrices{n: n, f: f,
		cr: make([]float32, f*n), ci: make([]float32, f*n),
		ar: make([]float32, n*f), ai: make([]float32, n*f)}
	for k := 0; k < f; k++ {
		// Bins other than 0 and n/2 (n even) stand for a conjugate pair in the inverse sum.
		w := 2.0
		if k == 0 || 2*k == n {
			w = 1
		}
		for t := 0; t < n; t++ {
			// Reduce k*t mod n first so the angle stays small and exact.
			angle := 2 * math.Pi * float64((k*t)%n) / float64(n)
			c, s := math.Cos(angle), math.Sin(angle)
			m.cr[k*n+t] = float32(c)
			m.ci[k*n+t] = float32(-s)
			m.ar[t*f+k] = float32(w * c / float64(n))
			m.ai[t*f+k] = float32(-w * s / float64(n))
		}
	}
	return m
}

func (t *Tape) dft(n int) *dftMatrices {
	m := t.dfts[n]
	if m == nil {
		m = newDFTMatrices(n)
		t.dfts[n] = m
	}
	return m
}

// RFFT returns the real FFT of x [B, L, d] along axis 1 (the sequence axis), as its real and
// imaginary parts, each [B, L/2+1, d]; it matches numpy.fft.rfft(x, axis=1) without
// normalisation. It panics unless x is 3-D with L > 0.
func RFFT(x *Var) (re, im *Var) {
	t := x.tape
	s := x.val.Shape
	if len(s) != 3 || s[1] == 0 {
		panic(fmt.Sprintf("nn: RFFT: input has shape %s, want [B, L, d] with L > 0", shapeString(s)))
	}
	b, l, d := s[0], s[1], s[2]
	m := t.dft(l)
	re, im = t.output(b, m.f, d), t.output(b, m.f, d)
	for i := 0; i < b; i++ {
		xi := x.val.Data[i*l*d:]
		t.Backend.Sgemm(false, false, m.f, d, l, 1, m.cr, l, xi, d, 0, re.val.Data[i*m.f*d:], d)
		t.Backend.Sgemm(false, false, m.f, d, l, 1, m.ci, l, xi, d, 0, im.val.Data[i*m.f*d:], d)
	}
	if n := t.record(backwardRFFT, re, x); n != nil {
		im.needsGrad = true
		n.out2, n.a, n.dft = im, x, m
	}
	return re, im
}

func backwardRFFT(t *Tape, n *node) {
	m := n.dft
	b, d := n.a.val.Shape[0], n.a.val.Shape[2]
	dre, dim, dx := t.outGrad(n.out), t.outGrad(n.out2), t.gradData(n.a)
	for i := 0; i < b; i++ {
		dxi := dx[i*m.n*d:]
		t.Backend.Sgemm(true, false, m.n, d, m.f, 1, m.cr, m.n, dre[i*m.f*d:], d, 1, dxi, d)
		t.Backend.Sgemm(true, false, m.n, d, m.f, 1, m.ci, m.n, dim[i*m.f*d:], d, 1, dxi, d)
	}
}

// IRFFT returns the inverse of RFFT for sequences of length n: from re and im, each
// [B, n/2+1, d], the real signal [B, n, d] (numpy.fft.irfft(re + i·im, n, axis=1)). As in numpy,
// the imaginary parts of bin 0 and, for even n, of bin n/2 do not affect the result. It panics
// on mismatched shapes.
func IRFFT(re, im *Var, n int) *Var {
	t := re.tape
	checkTape(t, im)
	mustSameShape("IRFFT", re, im)
	s := re.val.Shape
	if n <= 0 || len(s) != 3 || s[1] != n/2+1 {
		panic(fmt.Sprintf("nn: IRFFT: spectrum has shape %s, want [B, %d, d] for length %d", shapeString(s), n/2+1, n))
	}
	b, f, d := s[0], s[1], s[2]
	m := t.dft(n)
	out := t.output(b, n, d)
	for i := 0; i < b; i++ {
		oi := out.val.Data[i*n*d:]
		t.Backend.Sgemm(false, false, n, d, f, 1, m.ar, f, re.val.Data[i*f*d:], d, 0, oi, d)
		t.Backend.Sgemm(false, false, n, d, f, 1, m.ai, f, im.val.Data[i*f*d:], d, 1, oi, d)
	}
	if nd := t.record(backwardIRFFT, out, re, im); nd != nil {
		nd.a, nd.b, nd.dft = re, im, m
	}
	return out
}

func backwardIRFFT(t *Tape, n *node) {
	m := n.dft
	b, d := n.a.val.Shape[0], n.a.val.Shape[2]
	dy := n.out.grad.Data
	dre, dim := t.gradIfNeeded(n.a), t.gradIfNeeded(n.b)
	for i := 0; i < b; i++ {
		dyi := dy[i*m.n*d:]
		if dre != nil {
			t.Backend.Sgemm(true, false, m.f, d, m.n, 1, m.ar, m.f, dyi, d, 1, dre[i*m.f*d:], d)
		}
		if dim != nil {
			t.Backend.Sgemm(true, false, m.f, d, m.n, 1, m.ai, m.f, dyi, d, 1, dim[i*m.f*d:], d)
		}
	}
}

// ComplexMul multiplies the spectrum (re, im) elementwise by the complex filter (wRe, wIm),
// with the broadcasting of Mul: a learnable filter [F, d] applies to every sequence of a
// [B, F, d] spectrum, as in FMLP-Rec's filter layer. It returns re·wRe − im·wIm and
// re·wIm + im·wRe.
func ComplexMul(re, im, wRe, wIm *Var) (outRe, outIm *Var) {
	outRe = Sub(Mul(re, wRe), Mul(im, wIm))
	outIm = Add(Mul(re, wIm), Mul(im, wRe))
	return outRe, outIm
}
