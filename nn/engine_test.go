package nn

import (
	"errors"
	"math"
	"math/cmplx"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

func TestGradCheckDetectsWrongGradient(t *testing.T) {
	x := randParam("x", 1, 2, 2)
	// doubleWithHalfGrad computes 2x but reports the gradient of x.
	doubleWithHalfGrad := func(tp *Tape) *Var {
		in := tp.Param(x)
		out := tp.output(in.Shape()...)
		for i, v := range in.Data() {
			out.Data()[i] = 2 * v
		}
		n := tp.push(backwardIdentity, out)
		n.a = in
		return out
	}
	res, err := GradCheck(doubleWithHalfGrad, []*Param{x}, GradCheckConfig{})
	if err == nil {
		t.Fatal("GradCheck accepted a gradient that is half the true one")
	}
	if !strings.Contains(err.Error(), "x[") || res.MaxErr < 0.4 {
		t.Fatalf("error %q and worst error %g do not point at x with error 0.5", err, res.MaxErr)
	}
}

func TestSparseGradRows(t *testing.T) {
	emb := randParam("emb", 2, 6, 2)
	emb.RowSparse = true
	tp := NewTape(1)
	out := Gather(tp.Param(emb), []int32{4, 1, PaddingID, 4})
	tp.Backward(Sum(Mul(out, tp.Const(&Tensor{Shape: []int{4, 2}, Data: []float32{1, 2, 3, 4, 5, 6, 7, 8}}))))
	ReduceGrads([]*Tape{tp}, []*Param{emb})
	if !slices.Equal(emb.Rows, []int32{1, 4}) {
		t.Fatalf("Rows = %v, want [1 4]", emb.Rows)
	}
	want := make([]float32, 12)
	copy(want[2:4], []float32{3, 4})   // row 1 once
	copy(want[8:10], []float32{8, 10}) // row 4 twice: (1, 2) + (7, 8)
	assertNear(t, "grad", emb.Grad.Data, want, 0)

	// A second step touching other rows must zero the old ones.
	tp.Reset()
	tp.Backward(Sum(Gather(tp.Param(emb), []int32{0})))
	ReduceGrads([]*Tape{tp}, []*Param{emb})
	if !slices.Equal(emb.Rows, []int32{0}) {
		t.Fatalf("second step Rows = %v, want [0]", emb.Rows)
	}
	want = make([]float32, 12)
	want[0], want[1] = 1, 1
	assertNear(t, "second step grad", emb.Grad.Data, want, 0)
}

func TestSparseGradTwoTapes(t *testing.T) {
	emb := randParam("emb", 3, 5, 2)
	emb.RowSparse = true
	t0, t1 := NewTape(1), NewTape(2)
	t0.Backward(Sum(Gather(t0.Param(emb), []int32{3, 0})))
	t1.Backward(Sum(Gather(t1.Param(emb), []int32{3, 2, 3})))
	ReduceGrads([]*Tape{t0, t1}, []*Param{emb})
	if !slices.Equal(emb.Rows, []int32{0, 2, 3}) {
		t.Fatalf("Rows = %v, want [0 2 3]", emb.Rows)
	}
	assertNear(t, "grad", emb.Grad.Data, []float32{1, 1, 0, 0, 1, 1, 3, 3, 0, 0}, 0)
}

func TestSparseGradNoDenseBuffer(t *testing.T) {
	emb := randParam("emb", 4, 1000, 4)
	emb.RowSparse = true
	tp := NewTape(1)
	tp.Backward(Sum(Gather(tp.Param(emb), []int32{7})))
	pg := tp.params[emb]
	if pg.dense != nil || len(pg.rowGrad) != 4 {
		t.Fatalf("tape holds a dense buffer of %d and %d sparse values, want none and 4", len(pg.dense), len(pg.rowGrad))
	}
}

// stepModel is a small model with every kind of parameter, used by the determinism and
// parallelism tests: embedding lookup, MatMul, LayerNorm, dropout, attention softmax, BCE.
type stepModel struct {
	emb, w, gain, bias *Param
	ids                []int32
	labels             []float32
}

func newStepModel(rows int) *stepModel {
	m := &stepModel{
		emb:  randParam("emb", 5, 50, 8),
		w:    randParam("w", 6, 8, 1),
		gain: randParam("gain", 7, 8),
		bias: randParam("bias", 8, 8),
	}
	m.emb.RowSparse = true
	for i := 0; i < rows*3; i++ {
		m.ids = append(m.ids, int32((i*17)%50))
	}
	for i := 0; i < rows; i++ {
		m.labels = append(m.labels, float32(i%2))
	}
	return m
}

func (m *stepModel) params() []*Param { return []*Param{m.emb, m.w, m.gain, m.bias} }

// loss returns the mean BCE over rows lo..hi: each row attends over its 3 gathered items.
func (m *stepModel) loss(t *Tape, lo, hi int) (*Var, error) {
	n := hi - lo
	x := Reshape(Gather(t.Param(m.emb), m.ids[lo*3:hi*3]), n, 3, 8)
	x = LayerNorm(x, t.Param(m.gain), t.Param(m.bias), LayerNormEps)
	x = Dropout(x, 0.2)
	att := Softmax(MatMul(x, x, false, true))
	pooled := MeanAxis(MatMul(att, x, false, false), 1, false)
	logits := MatMul(pooled, t.Param(m.w), false, false)
	y := t.Zeros(n, 1)
	copy(y.Data(), m.labels[lo:hi])
	return BCEWithLogits(logits, y, nil), nil
}

func gradsOf(params []*Param) [][]float32 {
	var out [][]float32
	for _, p := range params {
		out = append(out, append([]float32(nil), p.Grad.Data...))
	}
	return out
}

func newTapes(workers int, seed uint64) []*Tape {
	tapes := make([]*Tape, workers)
	for i := range tapes {
		tapes[i] = NewTape(seed + uint64(i))
		tapes[i].Train = true
	}
	return tapes
}

func TestParallelDeterministic(t *testing.T) {
	for _, workers := range []int{1, 2, 3} {
		run := func() (float64, [][]float32) {
			m := newStepModel(10)
			loss, err := ParallelStep(newTapes(workers, 42), m.params(), 10, m.loss)
			if err != nil {
				t.Fatal(err)
			}
			return loss, gradsOf(m.params())
		}
		l1, g1 := run()
		l2, g2 := run()
		if l1 != l2 {
			t.Fatalf("%d workers: losses %v and %v differ", workers, l1, l2)
		}
		for i := range g1 {
			if !slices.Equal(g1[i], g2[i]) {
				t.Fatalf("%d workers: gradient %d differs between identical runs", workers, i)
			}
		}
	}
}

func TestParallelMatchesSerial(t *testing.T) {
	// Without dropout the shards compute the same function as one full batch, so 1 and 2
	// workers agree up to float32 rounding (tolerance 1e-5 relative).
	run := func(workers int) (float64, [][]float32) {
		m := newStepModel(9)
		tapes := newTapes(workers, 1)
		for _, tp := range tapes {
			tp.Train = false
		}
		loss, err := ParallelStep(tapes, m.params(), 9, m.loss)
		if err != nil {
			t.Fatal(err)
		}
		return loss, gradsOf(m.params())
	}
	l1, g1 := run(1)
	l2, g2 := run(2)
	if !near(l1, l2, 1e-6) {
		t.Fatalf("loss with 1 worker %v, with 2 workers %v", l1, l2)
	}
	for i := range g1 {
		assertNear(t, "gradient", g2[i], g1[i], 1e-5)
	}
}

func TestParallelStepErrors(t *testing.T) {
	m := newStepModel(4)
	boom := errors.New("boom")
	_, err := ParallelStep(newTapes(2, 1), m.params(), 4, func(tp *Tape, lo, hi int) (*Var, error) {
		if lo > 0 {
			return nil, boom
		}
		return m.loss(tp, lo, hi)
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "shard 1") {
		t.Fatalf("error %v, want boom from shard 1", err)
	}
	_, err = ParallelStep(newTapes(2, 1), m.params(), 4, func(tp *Tape, lo, hi int) (*Var, error) {
		return Gather(tp.Param(m.emb), []int32{99}), nil
	})
	if err == nil || !strings.Contains(err.Error(), "id 99") {
		t.Fatalf("error %v, want the recovered panic naming id 99", err)
	}
}

func TestShardBounds(t *testing.T) {
	cases := []struct{ n, shards, i, lo, hi int }{
		{10, 3, 0, 0, 3}, {10, 3, 1, 3, 6}, {10, 3, 2, 6, 10},
		{2, 4, 0, 0, 0}, {2, 4, 1, 0, 1}, {2, 4, 3, 1, 2},
	}
	for _, c := range cases {
		if lo, hi := ShardBounds(c.n, c.shards, c.i); lo != c.lo || hi != c.hi {
			t.Errorf("ShardBounds(%d, %d, %d) = %d, %d, want %d, %d", c.n, c.shards, c.i, lo, hi, c.lo, c.hi)
		}
	}
}

func TestResetAllocations(t *testing.T) {
	m := newStepModel(8)
	tp := NewTape(1)
	tp.Train = true
	tapes := []*Tape{tp}
	params := m.params()
	step := func() {
		tp.Reset()
		loss, _ := m.loss(tp, 0, 8)
		tp.Backward(loss)
		ReduceGrads(tapes, params)
	}
	step() // warm-up: fills the pools
	// After warm-up an identical step reuses every buffer; the bound allows for none.
	if allocs := testing.AllocsPerRun(20, step); allocs > 0 {
		t.Fatalf("a warm step allocated %v times, want 0", allocs)
	}
}

func TestRFFTMatchesGonum(t *testing.T) {
	for _, l := range []int{7, 8, 30} {
		x := randParam("x", 9, 1, l, 1)
		tp := NewTape(1)
		re, im := RFFT(tp.Const(x.Value))
		seq := make([]float64, l)
		for i, v := range x.Value.Data {
			seq[i] = float64(v)
		}
		coeff := fourier.NewFFT(l).Coefficients(nil, seq)
		for k, c := range coeff {
			got := complex(float64(re.Data()[k]), float64(im.Data()[k]))
			if cmplx.Abs(got-c) > 1e-5*math.Max(1, cmplx.Abs(c)) {
				t.Fatalf("length %d bin %d = %v, gonum gives %v", l, k, got, c)
			}
		}
		back := IRFFT(re, im, l)
		assertNear(t, "IRFFT(RFFT(x))", back.Data(), x.Value.Data, 1e-5)
	}
}

func TestLossValues(t *testing.T) {
	tp := NewTape(1)
	c := func(shape []int, data ...float32) *Var { return tp.Const(&Tensor{Shape: shape, Data: data}) }
	cases := []struct {
		name string
		got  *Var
		want float64
	}{
		// x = [2, -1], y = [1, 0]: log(1+e^-2) = 0.1269280, log(1+e^-1) = 0.3132617;
		// mean 0.2200948.
		{"BCE", BCEWithLogits(c([]int{2}, 2, -1), c([]int{2}, 1, 0), nil), 0.2200948},
		// weights [2, 0]: (2·0.126928 + 0)/2.
		{"BCEWeighted", BCEWithLogits(c([]int{2}, 2, -1), c([]int{2}, 1, 0), c([]int{2}, 2, 0)), 0.126928},
		// a = (1,0), p = (0,0), n = (3,0): d(a,p) ≈ 1, d(a,n) ≈ 2: max(1 − 2 + 1.5, 0) = 0.5.
		{"Triplet", TripletMargin(c([]int{1, 2}, 1, 0), c([]int{1, 2}, 0, 0), c([]int{1, 2}, 3, 0), 1.5), 0.5},
		// Two rows, in-batch: sims [[1, 0], [0, 1]] / 0.5 = [[2, 0], [0, 2]];
		// each row: −2 + log(e² + 1) = 0.126928.
		{"InfoNCE", InfoNCE(c([]int{2, 2}, 1, 0, 0, 1), c([]int{2, 2}, 1, 0, 0, 1), nil, c([]int{}, 0.5)), 0.126928},
		// 0.5·(1 + 4 + 9).
		{"L2", L2Penalty(0.5, c([]int{3}, 1, 2, 3)), 7},
	}
	for _, cs := range cases {
		if got := float64(cs.got.Item()); !near(got, cs.want, 2e-6) {
			t.Errorf("%s = %.7f, want %.7f", cs.name, got, cs.want)
		}
	}
}

func TestGRUCellValues(t *testing.T) {
	// One unit, h = 0.5, W_hh = (1, 1, 1), no bias, gi = (0, 0, 0): r = z = σ(0.5) = 0.6224593,
	// n = tanh(r·0.5) = tanh(0.3112297) = 0.3015554, h' = (1−z)·n + z·h = 0.4250791.
	tp := NewTape(1)
	c := func(shape []int, data ...float32) *Var { return tp.Const(&Tensor{Shape: shape, Data: data}) }
	h := GRUCell(c([]int{1, 3}, 0, 0, 0), c([]int{1, 1}, 0.5), c([]int{3, 1}, 1, 1, 1), nil)
	assertNear(t, "h'", h.Data(), []float32{0.4250791}, 1e-6)
}

func TestBackwardTwicePanics(t *testing.T) {
	x := randParam("x", 1, 2)
	tp := NewTape(1)
	loss := Sum(tp.Param(x))
	tp.Backward(loss)
	defer func() {
		if recover() == nil {
			t.Fatal("a second Backward without Reset did not panic")
		}
	}()
	tp.Backward(loss)
}
