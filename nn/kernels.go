package nn

import gonumblas "gonum.org/v1/gonum/blas/gonum"

// axpyMin is the run length from which addScaled calls gonum's assembly Saxpy; below it the
// call overhead outweighs the vector instructions.
const axpyMin = 32

// addScaled sets y[i] += alpha·x[i] for i < len(y); x must be at least as long as y. Each
// element gets one multiply and one add in either path, so both paths give the same result.
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

// addTo sets y[i] += x[i] for i < len(y); x must be at least as long as y.
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
