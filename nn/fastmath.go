package nn

import "math"

// exp32 and tanh32 run on every gate of a GRU step and every softmax weight, where float64
// math.Exp and math.Tanh took about 10% of a DHIM training step. They evaluate the minimax
// polynomials of Cephes' expf and tanhf in float32 and stay within 2 units in the last place of
// the float64 functions rounded to float32, which TestFastMath checks.

const (
	log2e = 1.44269504088896341
	// ln2Hi + ln2Lo = ln 2, split so that k·ln2Hi is exact for the integers k that occur.
	ln2Hi = 0.693359375
	ln2Lo = -2.12194440e-4
	// exp32 uses the polynomial on (expMin, expMax), where 2^k stays a normal float32.
	expMin = -87.3
	expMax = 88.3
	// tanhSmall is where tanh32 switches from its odd polynomial to the exponential form, and
	// tanhOne where float32 tanh rounds to ±1.
	tanhSmall = 0.625
	tanhOne   = 9.02
)

// exp32 returns e^x. Outside (expMin, expMax), and for NaN, it falls back to math.Exp, which
// gives 0, +Inf or NaN there after rounding to float32, or a subnormal near the lower end.
func exp32(x float32) float32 {
	if !(x > expMin && x < expMax) {
		return float32(math.Exp(float64(x)))
	}
	k := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - k*ln2Hi
	r -= k * ln2Lo
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	y := p*r*r + r + 1
	return y * math.Float32frombits(uint32(int32(k)+127)<<23)
}

// sigmoid32 returns 1/(1+e^−x). It is 0 below about −88.7, where e^−x overflows float32, and
// 1 above about 17, where e^−x drops under float32's resolution near 1.
func sigmoid32(x float32) float32 { return 1 / (1 + exp32(-x)) }

// tanh32 returns the hyperbolic tangent of x, NaN for NaN. It works on float32 bits: a version
// that took the absolute value and the sign through float64 ran at the speed of math.Tanh.
func tanh32(x float32) float32 {
	bits := math.Float32bits(x)
	sign := bits & (1 << 31)
	a := math.Float32frombits(bits &^ (1 << 31))
	if a < tanhSmall {
		z := x * x
		return ((((-5.70498872745e-3*z+2.06390887954e-2)*z-5.37397155531e-2)*z+1.33314422036e-1)*z-3.33332819422e-1)*z*x + x
	}
	y := float32(1)
	if !(a > tanhOne) { // NaN takes this branch and stays NaN
		y = 1 - 2/(exp32(2*a)+1)
	}
	return math.Float32frombits(math.Float32bits(y) | sign)
}
