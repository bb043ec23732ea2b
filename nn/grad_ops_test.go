package nn

import "testing"

// Defaults as in grad_basic_test.go: step 1e-2, tolerance 1e-2 on
// |a − n| / max(|a|, |n|, 1e-2). Cases that deviate state why.

func TestGradActivations(t *testing.T) {
	x := randParam("x", 30, 3, 4)
	xk := awayFromZero(randParam("x", 31, 3, 4), 0.05) // ReLU and PReLU kink at 0
	alpha1 := randParam("alpha", 32, 1)
	alphaC := randParam("alpha", 33, 4)
	runGradCases(t, []gradCase{
		{"Sigmoid", []*Param{x}, func(tp *Tape) *Var { return Sigmoid(tp.Param(x)) }, GradCheckConfig{}},
		{"Tanh", []*Param{x}, func(tp *Tape) *Var { return Tanh(tp.Param(x)) }, GradCheckConfig{}},
		{"ReLU", []*Param{xk}, func(tp *Tape) *Var { return ReLU(tp.Param(xk)) }, GradCheckConfig{}},
		{"PReLUShared", []*Param{xk, alpha1}, func(tp *Tape) *Var { return PReLU(tp.Param(xk), tp.Param(alpha1)) }, GradCheckConfig{}},
		{"PReLUChannel", []*Param{xk, alphaC}, func(tp *Tape) *Var { return PReLU(tp.Param(xk), tp.Param(alphaC)) }, GradCheckConfig{}},
	})
}

func TestGradSoftmax(t *testing.T) {
	x := randParam("x", 40, 2, 3, 4)
	keys := &Mask{Shape: []int{2, 1, 4}, Keep: []bool{true, false, true, true, false, false, false, false}}
	full := &Mask{Shape: []int{2, 3, 4}, Keep: make([]bool, 24)}
	for i := range full.Keep {
		full.Keep[i] = i%3 != 1
	}
	runGradCases(t, []gradCase{
		{"Softmax", []*Param{x}, func(tp *Tape) *Var { return Softmax(tp.Param(x)) }, GradCheckConfig{}},
		{"MaskedKeys", []*Param{x}, func(tp *Tape) *Var { return MaskedSoftmax(tp.Param(x), keys) }, GradCheckConfig{}},
		{"MaskedFull", []*Param{x}, func(tp *Tape) *Var { return MaskedSoftmax(tp.Param(x), full) }, GradCheckConfig{}},
		{"LogSoftmax", []*Param{x}, func(tp *Tape) *Var { return LogSoftmax(tp.Param(x)) }, GradCheckConfig{}},
	})
}

func TestMaskedSoftmaxValues(t *testing.T) {
	tp := NewTape(1)
	x := &Param{Name: "x", Value: &Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}}
	mask := &Mask{Shape: []int{2, 3}, Keep: []bool{true, false, true, false, false, false}}
	xv := tp.Param(x)
	y := MaskedSoftmax(xv, mask)
	// Row 0 keeps positions 0 and 2: e^1/(e^1+e^3) = 0.1192029, e^3/(e^1+e^3) = 0.8807971.
	assertNear(t, "softmax", y.Data(), []float32{0.1192029, 0, 0.8807971, 0, 0, 0}, 1e-6)
	tp.Backward(Sum(Mul(y, tp.Const(&Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}))))
	for i, g := range xv.Grad.Data {
		if g != g {
			t.Fatalf("gradient %d is NaN", i)
		}
	}
	assertNear(t, "all-masked row gradient", xv.Grad.Data[3:], []float32{0, 0, 0}, 0)
	assertNear(t, "masked position gradient", xv.Grad.Data[1:2], []float32{0}, 0)
}

func TestMaskBroadcastPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("mask [3] on scores [2, 4] did not panic")
		}
	}()
	tp := NewTape(1)
	MaskedSoftmax(tp.Const(NewTensor(2, 4)), NewMask(3))
}

func TestGradLayerNorm(t *testing.T) {
	x := randParam("x", 50, 3, 5)
	g := randParam("gain", 51, 5)
	b := randParam("bias", 52, 5)
	runGradCases(t, []gradCase{
		{"Affine", []*Param{x, g, b}, func(tp *Tape) *Var {
			return LayerNorm(tp.Param(x), tp.Param(g), tp.Param(b), LayerNormEps)
		}, GradCheckConfig{}},
		{"Plain", []*Param{x}, func(tp *Tape) *Var { return LayerNorm(tp.Param(x), nil, nil, LayerNormEps) }, GradCheckConfig{}},
	})
}

func TestLayerNormValues(t *testing.T) {
	tp := NewTape(1)
	x := tp.Const(&Tensor{Shape: []int{1, 4}, Data: []float32{1, 2, 3, 4}})
	// mean 2.5, biased variance 1.25: (x − 2.5)/sqrt(1.25 + 1e-5).
	want := []float32{-1.3416355, -0.4472118, 0.4472118, 1.3416355}
	assertNear(t, "LayerNorm", LayerNorm(x, nil, nil, LayerNormEps).Data(), want, 1e-5)
}

func TestGradDropout(t *testing.T) {
	x := randParam("x", 60, 4, 5)
	// GradCheck reseeds the tape before each evaluation, so the mask is the same each time.
	runGradCases(t, []gradCase{
		{"Train", []*Param{x}, func(tp *Tape) *Var { return Dropout(tp.Param(x), 0.3) }, GradCheckConfig{Train: true}},
	})
}

func TestDropoutScaleAndEval(t *testing.T) {
	tp := NewTape(3)
	x := tp.Const(&Tensor{Shape: []int{1000}, Data: make([]float32, 1000)})
	for i := range x.Data() {
		x.Data()[i] = 1
	}
	if y := Dropout(x, 0.25); y != x {
		t.Fatal("Dropout in evaluation mode did not return its input")
	}
	tp.Train = true
	y := Dropout(x, 0.25)
	zeros := 0
	for _, v := range y.Data() {
		switch v {
		case 0:
			zeros++
		case 1 / 0.75:
		default:
			t.Fatalf("kept value %g, want 1/(1-p) = %g", v, 1/0.75)
		}
	}
	// 1000 Bernoulli(0.25) draws: mean 250, standard deviation 13.7; 5 sigma is about 68.
	if zeros < 182 || zeros > 318 {
		t.Fatalf("%d of 1000 elements dropped, want about 250", zeros)
	}
}

// TestDropoutBothHalves checks the elements that the high and the low 32 bits of each draw
// decide. Each half is dropped at rate p, and the two halves of a draw are independent.
func TestDropoutBothHalves(t *testing.T) {
	const n, p = 20001, 0.1
	tp := NewTape(5)
	tp.Train = true
	x := tp.Const(&Tensor{Shape: []int{n}, Data: make([]float32, n)})
	for i := range x.Data() {
		x.Data()[i] = 1
	}
	y := Dropout(x, p).Data()

	var zeros [2]int
	same := 0
	for i, v := range y {
		if v == 0 {
			zeros[i%2]++
		}
		if i%2 == 1 && (v == 0) == (y[i-1] == 0) {
			same++
		}
	}
	// 10,000 Bernoulli(0.1) draws per half: mean 1,000, standard deviation 30; 5 sigma is 150.
	for half, z := range zeros {
		if z < 850 || z > 1150 {
			t.Errorf("half %d: %d of about 10,000 elements dropped, want about 1,000", half, z)
		}
	}
	// Independent halves agree on a pair with probability 0.81 + 0.01 = 0.82: 8,200 ± 190 (5 sigma).
	if same < 8010 || same > 8390 {
		t.Errorf("%d of 10,000 pairs agree, want about 8,200 for independent halves", same)
	}

	tp2 := NewTape(5)
	tp2.Train = true
	x2 := tp2.Const(&Tensor{Shape: []int{n}, Data: x.Data()})
	if y2 := Dropout(x2, p).Data(); y2[n-1] != y[n-1] || y2[0] != y[0] {
		t.Error("the same seed gave a different mask")
	}
}

func TestGradDice(t *testing.T) {
	x := randParam("x", 70, 6, 3)
	alpha := randParam("alpha", 71, 3)
	running := &DiceStats{Mean: []float32{0.1, -0.2, 0.3}, Var: []float32{0.5, 1.5, 0.8}}
	runGradCases(t, []gradCase{
		{"Train", []*Param{x, alpha}, func(tp *Tape) *Var {
			return Dice(tp.Param(x), tp.Param(alpha), 1e-5, nil, nil)
		}, GradCheckConfig{Train: true}},
		{"Eval", []*Param{x, alpha}, func(tp *Tape) *Var {
			return Dice(tp.Param(x), tp.Param(alpha), DiceEps, running, nil)
		}, GradCheckConfig{}},
	})
}

func TestDiceBatchStats(t *testing.T) {
	tp := NewTape(1)
	tp.Train = true
	x := tp.Const(&Tensor{Shape: []int{2, 2}, Data: []float32{1, 10, 3, 20}})
	alpha := tp.Const(&Tensor{Shape: []int{1}, Data: []float32{0.25}})
	var batch DiceStats
	y := Dice(x, alpha, DiceEps, nil, &batch)
	assertNear(t, "mean", batch.Mean, []float32{2, 15}, 1e-6)
	assertNear(t, "var", batch.Var, []float32{1, 25}, 1e-5)
	// x̂ = ±1, p = σ(±1): y = x·(α + p(1−α)) with σ(-1) = 0.2689414, σ(1) = 0.7310586.
	want := []float32{1 * (0.25 + 0.2689414*0.75), 10 * (0.25 + 0.2689414*0.75), 3 * (0.25 + 0.7310586*0.75), 20 * (0.25 + 0.7310586*0.75)}
	assertNear(t, "Dice", y.Data(), want, 1e-5)
}

func TestGradGather(t *testing.T) {
	table := randParam("emb", 80, 5, 3)
	sparse := randParam("emb", 81, 5, 3)
	sparse.RowSparse = true
	ids := []int32{3, PaddingID, 1, 3}
	runGradCases(t, []gradCase{
		{"Dense", []*Param{table}, func(tp *Tape) *Var { return Gather(tp.Param(table), ids) }, GradCheckConfig{}},
		{"Sparse", []*Param{sparse}, func(tp *Tape) *Var { return Gather(tp.Param(sparse), ids) }, GradCheckConfig{}},
		{"SparseAndDense", []*Param{sparse}, func(tp *Tape) *Var {
			e := tp.Param(sparse)
			return Add(Gather(e, ids), Narrow(e, 0, 0, 4))
		}, GradCheckConfig{}},
	})
}

func TestGradFFT(t *testing.T) {
	for _, l := range []int{5, 6} { // odd and even lengths: the Nyquist bin exists only for even
		x := randParam("x", 90, 2, l, 3)
		re := randParam("re", 91, 2, l/2+1, 3)
		im := randParam("im", 92, 2, l/2+1, 3)
		wr := randParam("w_re", 93, l/2+1, 3)
		wi := randParam("w_im", 94, l/2+1, 3)
		runGradCases(t, []gradCase{
			{"RFFT", []*Param{x}, func(tp *Tape) *Var {
				r, i := RFFT(tp.Param(x))
				return Concat(1, r, i)
			}, GradCheckConfig{}},
			{"RFFTImagOnly", []*Param{x}, func(tp *Tape) *Var {
				_, i := RFFT(tp.Param(x))
				return i
			}, GradCheckConfig{}},
			{"IRFFT", []*Param{re, im}, func(tp *Tape) *Var { return IRFFT(tp.Param(re), tp.Param(im), l) }, GradCheckConfig{}},
			{"Filter", []*Param{x, wr, wi}, func(tp *Tape) *Var {
				r, i := RFFT(tp.Param(x))
				r, i = ComplexMul(r, i, tp.Param(wr), tp.Param(wi))
				return IRFFT(r, i, l)
			}, GradCheckConfig{}},
		})
	}
}

func TestGradLosses(t *testing.T) {
	logits := randParam("logits", 100, 3, 2)
	targets := randParam("targets", 101, 3, 2)
	weights := randParam("weights", 102, 3, 2)
	anchor := randParam("anchor", 103, 4, 3)
	pos := randParam("pos", 104, 4, 3)
	neg := randParam("neg", 105, 4, 2, 3)
	tau := &Param{Name: "tau", Value: &Tensor{Shape: []int{}, Data: []float32{0.5}}}
	ta, tpos, tneg := randParam("a", 106, 5, 3), randParam("p", 107, 5, 3), randParam("n", 108, 5, 3)
	for i := range tpos.Value.Data { // keep every row's hinge away from its kink at 0
		tpos.Value.Data[i] = ta.Value.Data[i] + 0.1*tpos.Value.Data[i]
	}
	runGradCases(t, []gradCase{
		{"BCE", []*Param{logits, targets}, func(tp *Tape) *Var {
			return BCEWithLogits(tp.Param(logits), tp.Param(targets), nil)
		}, GradCheckConfig{}},
		{"BCEWeighted", []*Param{logits, targets, weights}, func(tp *Tape) *Var {
			return BCEWithLogits(tp.Param(logits), tp.Param(targets), tp.Param(weights))
		}, GradCheckConfig{}},
		{"InfoNCEInBatch", []*Param{anchor, pos, tau}, func(tp *Tape) *Var {
			return InfoNCE(tp.Param(anchor), tp.Param(pos), nil, tp.Param(tau))
		}, GradCheckConfig{}},
		{"InfoNCENegatives", []*Param{anchor, pos, neg, tau}, func(tp *Tape) *Var {
			return InfoNCE(tp.Param(anchor), tp.Param(pos), tp.Param(neg), tp.Param(tau))
		}, GradCheckConfig{}},
		{"Triplet", []*Param{ta, tpos, tneg}, func(tp *Tape) *Var {
			return TripletMargin(tp.Param(ta), tp.Param(tpos), tp.Param(tneg), 0.1)
		}, GradCheckConfig{}},
		{"L2", []*Param{anchor, pos}, func(tp *Tape) *Var {
			return L2Penalty(0.3, tp.Param(anchor), tp.Param(pos))
		}, GradCheckConfig{}},
	})
}

func TestGradGRUCell(t *testing.T) {
	const b, h = 3, 4
	gi := randParam("gi", 110, b, 3*h)
	hid := randParam("h", 111, b, h)
	w := randParam("weight_hh", 112, 3*h, h)
	bias := randParam("bias_hh", 113, 3*h)
	runGradCases(t, []gradCase{
		{"Bias", []*Param{gi, hid, w, bias}, func(tp *Tape) *Var {
			return GRUCell(tp.Param(gi), tp.Param(hid), tp.Param(w), tp.Param(bias))
		}, GradCheckConfig{}},
		{"NoBiasTwoSteps", []*Param{gi, hid, w}, func(tp *Tape) *Var {
			h1 := GRUCell(tp.Param(gi), tp.Param(hid), tp.Param(w), nil)
			return GRUCell(tp.Param(gi), h1, tp.Param(w), nil)
		}, GradCheckConfig{}},
	})
}

func TestGradAffine(t *testing.T) {
	x := randParam("x", 60, 2, 3, 4)
	w := randParam("w", 61, 5, 4)
	b := randParam("b", 62, 5)
	runGradCases(t, []gradCase{
		{"WithBias", []*Param{x, w, b}, func(tp *Tape) *Var { return Affine(tp.Param(x), tp.Param(w), tp.Param(b)) }, GradCheckConfig{}},
		{"NoBias", []*Param{x, w}, func(tp *Tape) *Var { return Affine(tp.Param(x), tp.Param(w), nil) }, GradCheckConfig{}},
	})
}

// TestAffineMatchesMatMul checks Affine against MatMul plus Add on the same operands.
func TestAffineMatchesMatMul(t *testing.T) {
	x := randParam("x", 63, 3, 2, 6)
	w := randParam("w", 64, 4, 6)
	b := randParam("b", 65, 4)
	tp := NewTape(1)
	got := Affine(tp.Param(x), tp.Param(w), tp.Param(b))
	want := Add(MatMul(tp.Param(x), tp.Param(w), false, true), tp.Param(b))
	if s := got.Shape(); len(s) != 3 || s[0] != 3 || s[1] != 2 || s[2] != 4 {
		t.Fatalf("Affine shape %v, want [3 2 4]", s)
	}
	assertNear(t, "Affine", got.Data(), want.Data(), 1e-6)
}

// TestMatMulTransposedB checks A·Bᵀ with enough rows for the Gonum path that copies Bᵀ against
// a plain triple loop, on both the default backend and Gonum.
func TestMatMulTransposedB(t *testing.T) {
	a := randParam("a", 66, 2*gemmTransposeMinRows, 5)
	b := randParam("b", 67, 7, 5)
	m, n, k := 2*gemmTransposeMinRows, 7, 5
	want := make([]float32, m*n)
	for i := range m {
		for j := range n {
			var s float32
			for l := range k {
				s += a.Value.Data[i*k+l] * b.Value.Data[j*k+l]
			}
			want[i*n+j] = s
		}
	}
	for _, backend := range []Backend{DefaultBackend(), Gonum{}} {
		tp := NewTape(1)
		tp.Backend = backend
		got := MatMul(tp.Param(a), tp.Param(b), false, true).Data()
		assertNear(t, backend.Name()+" A·Bᵀ", got, want, 1e-5)
	}
}
