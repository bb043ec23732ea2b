package nn

import "testing"

// Gradient checks below use GradCheck's defaults unless a case states otherwise: central step
// h = 1e-2 and error |a − n| / max(|a|, |n|, 1e-2) at most 1e-2. The ops are linear or smooth
// at the scale of the inputs (values in [-1, 1)), so the O(h²) truncation error stays near 1e-4.

func TestGradMatMul(t *testing.T) {
	a23, a32 := randParam("a", 1, 2, 3), randParam("a", 2, 3, 2)
	b34, b43 := randParam("b", 3, 3, 4), randParam("b", 4, 4, 3)
	x3 := randParam("x", 5, 2, 3, 3)
	ba, bb := randParam("a", 6, 2, 3, 4), randParam("b", 7, 2, 4, 5)
	bat, bbt := randParam("a", 8, 2, 4, 3), randParam("b", 9, 2, 5, 4)
	runGradCases(t, []gradCase{
		{"plain", []*Param{a23, b34}, func(tp *Tape) *Var { return MatMul(tp.Param(a23), tp.Param(b34), false, false) }, GradCheckConfig{}},
		{"transA", []*Param{a32, b34}, func(tp *Tape) *Var { return MatMul(tp.Param(a32), tp.Param(b34), true, false) }, GradCheckConfig{}},
		{"transB", []*Param{a23, b43}, func(tp *Tape) *Var { return MatMul(tp.Param(a23), tp.Param(b43), false, true) }, GradCheckConfig{}},
		{"transBoth", []*Param{a32, b43}, func(tp *Tape) *Var { return MatMul(tp.Param(a32), tp.Param(b43), true, true) }, GradCheckConfig{}},
		{"fold3D", []*Param{x3, b34}, func(tp *Tape) *Var { return MatMul(tp.Param(x3), tp.Param(b34), false, false) }, GradCheckConfig{}},
		{"fold3DtransB", []*Param{x3, b43}, func(tp *Tape) *Var { return MatMul(tp.Param(x3), tp.Param(b43), false, true) }, GradCheckConfig{}},
		{"batched", []*Param{ba, bb}, func(tp *Tape) *Var { return MatMul(tp.Param(ba), tp.Param(bb), false, false) }, GradCheckConfig{}},
		{"batchedTrans", []*Param{bat, bbt}, func(tp *Tape) *Var { return MatMul(tp.Param(bat), tp.Param(bbt), true, true) }, GradCheckConfig{}},
	})
}

func TestMatMulValues(t *testing.T) {
	tp := NewTape(1)
	a := tp.Const(&Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}})
	b := tp.Const(&Tensor{Shape: []int{3, 2}, Data: []float32{7, 8, 9, 10, 11, 12}})
	assertNear(t, "A·B", MatMul(a, b, false, false).Data(), []float32{58, 64, 139, 154}, 0)
	assertNear(t, "Aᵀ·Bᵀ", MatMul(a, b, true, true).Data(), []float32{39, 49, 59, 54, 68, 82, 69, 87, 105}, 0)
	x := tp.Const(&Tensor{Shape: []int{2, 1, 3}, Data: []float32{1, 2, 3, 4, 5, 6}})
	y := MatMul(x, b, false, false)
	if got := y.Shape(); len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 2 {
		t.Fatalf("folded product has shape %v, want [2 1 2]", got)
	}
	assertNear(t, "fold", y.Data(), []float32{58, 64, 139, 154}, 0)
}

func TestGradBroadcast(t *testing.T) {
	x := randParam("x", 10, 2, 3, 4)
	v := randParam("v", 11, 4)
	row := randParam("row", 12, 2, 1, 4)
	col := randParam("col", 13, 2, 3, 1)
	den := randParam("den", 14, 2, 1, 4)
	for i := range den.Value.Data {
		den.Value.Data[i] = 1.5 + den.Value.Data[i]*0.5 // in [1, 2): away from 0
	}
	same := randParam("same", 15, 2, 3, 4)
	cases := []gradCase{}
	for _, op := range []struct {
		name string
		f    func(a, b *Var) *Var
	}{{"Add", Add}, {"Sub", Sub}, {"Mul", Mul}} {
		f := op.f
		cases = append(cases,
			gradCase{op.name + "Same", []*Param{x, same}, func(tp *Tape) *Var { return f(tp.Param(x), tp.Param(same)) }, GradCheckConfig{}},
			gradCase{op.name + "Vector", []*Param{x, v}, func(tp *Tape) *Var { return f(tp.Param(x), tp.Param(v)) }, GradCheckConfig{}},
			gradCase{op.name + "Row", []*Param{x, row}, func(tp *Tape) *Var { return f(tp.Param(row), tp.Param(x)) }, GradCheckConfig{}},
			gradCase{op.name + "Col", []*Param{x, col}, func(tp *Tape) *Var { return f(tp.Param(x), tp.Param(col)) }, GradCheckConfig{}},
			gradCase{op.name + "Outer", []*Param{col, row}, func(tp *Tape) *Var { return f(tp.Param(col), tp.Param(row)) }, GradCheckConfig{}},
		)
	}
	cases = append(cases,
		gradCase{"DivRow", []*Param{x, den}, func(tp *Tape) *Var { return Div(tp.Param(x), tp.Param(den)) }, GradCheckConfig{}},
		gradCase{"Scale", []*Param{x}, func(tp *Tape) *Var { return Scale(tp.Param(x), -1.5) }, GradCheckConfig{}},
		gradCase{"AddScalar", []*Param{x}, func(tp *Tape) *Var { return AddScalar(tp.Param(x), 2) }, GradCheckConfig{}},
	)
	runGradCases(t, cases)
}

func TestBroadcastValues(t *testing.T) {
	tp := NewTape(1)
	x := tp.Const(&Tensor{Shape: []int{2, 2, 3}, Data: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}})
	cases := []struct {
		name  string
		other *Tensor
		f     func(a, b *Var) *Var
		want  []float32
	}{
		{"vector", &Tensor{Shape: []int{3}, Data: []float32{10, 20, 30}}, Add,
			[]float32{11, 22, 33, 14, 25, 36, 17, 28, 39, 20, 31, 42}},
		{"row", &Tensor{Shape: []int{2, 1, 3}, Data: []float32{1, 1, 1, 2, 2, 2}}, Mul,
			[]float32{1, 2, 3, 4, 5, 6, 14, 16, 18, 20, 22, 24}},
		{"col", &Tensor{Shape: []int{2, 2, 1}, Data: []float32{1, 2, 3, 4}}, Sub,
			[]float32{0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8}},
		{"scalar", &Tensor{Shape: []int{}, Data: []float32{2}}, Div,
			[]float32{0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertNear(t, c.name, c.f(x, tp.Const(c.other)).Data(), c.want, 0)
		})
	}
}

func TestBroadcastGradReduces(t *testing.T) {
	// d/dv Σ (x + v) over x [2, 3, 2] and v [2] is 6 per element: the sum over broadcast dims.
	x := &Param{Name: "x", Value: NewTensor(2, 3, 2)}
	v := &Param{Name: "v", Value: NewTensor(2)}
	tp := NewTape(1)
	tp.Backward(Sum(Add(tp.Param(x), tp.Param(v))))
	ReduceGrads([]*Tape{tp}, []*Param{x, v})
	assertNear(t, "dv", v.Grad.Data, []float32{6, 6}, 0)
	assertNear(t, "dx", x.Grad.Data[:3], []float32{1, 1, 1}, 0)
}

func TestBroadcastMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Add of [2, 3] and [2] did not panic")
		}
	}()
	tp := NewTape(1)
	Add(tp.Const(NewTensor(2, 3)), tp.Const(NewTensor(2)))
}

func TestGradReduceAndViews(t *testing.T) {
	x := randParam("x", 20, 2, 3, 4)
	y := randParam("y", 21, 2, 2, 4)
	z := randParam("z", 22, 2, 3, 2)
	runGradCases(t, []gradCase{
		{"Sum", []*Param{x}, func(tp *Tape) *Var { return Sum(tp.Param(x)) }, GradCheckConfig{}},
		{"Mean", []*Param{x}, func(tp *Tape) *Var { return Mean(tp.Param(x)) }, GradCheckConfig{}},
		{"SumAxis0", []*Param{x}, func(tp *Tape) *Var { return SumAxis(tp.Param(x), 0, false) }, GradCheckConfig{}},
		{"SumAxis1Keep", []*Param{x}, func(tp *Tape) *Var { return SumAxis(tp.Param(x), 1, true) }, GradCheckConfig{}},
		{"MeanAxisLast", []*Param{x}, func(tp *Tape) *Var { return MeanAxis(tp.Param(x), -1, false) }, GradCheckConfig{}},
		{"Reshape", []*Param{x}, func(tp *Tape) *Var {
			r := Reshape(tp.Param(x), 6, -1)
			return Mul(r, r)
		}, GradCheckConfig{}},
		{"Transpose", []*Param{x}, func(tp *Tape) *Var { return Transpose(tp.Param(x)) }, GradCheckConfig{}},
		{"Narrow", []*Param{x}, func(tp *Tape) *Var { return Narrow(tp.Param(x), 1, 1, 2) }, GradCheckConfig{}},
		{"ConcatLast", []*Param{x, z}, func(tp *Tape) *Var {
			return Concat(-1, tp.Param(x), tp.Param(z), tp.Param(x))
		}, GradCheckConfig{}},
		{"ConcatAxis1", []*Param{x, y}, func(tp *Tape) *Var { return Concat(1, tp.Param(x), tp.Param(y)) }, GradCheckConfig{}},
		{"Split", []*Param{x}, func(tp *Tape) *Var {
			parts := Split(tp.Param(x), 1, 3)
			return Concat(-1, parts[1], Scale(parts[0], 2))
		}, GradCheckConfig{}},
	})
}

func TestViewValues(t *testing.T) {
	tp := NewTape(1)
	x := tp.Const(&Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}})
	assertNear(t, "Transpose", Transpose(x).Data(), []float32{1, 4, 2, 5, 3, 6}, 0)
	assertNear(t, "SumAxis0", SumAxis(x, 0, false).Data(), []float32{5, 7, 9}, 0)
	assertNear(t, "MeanAxis1", MeanAxis(x, 1, true).Data(), []float32{2, 5}, 0)
	assertNear(t, "Narrow", Narrow(x, 1, 1, 2).Data(), []float32{2, 3, 5, 6}, 0)
	assertNear(t, "Concat0", Concat(0, x, x).Data(), []float32{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, 0)
	assertNear(t, "Concat1", Concat(1, x, x).Data(), []float32{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, 0)
	r := Reshape(x, 3, 2)
	if &r.Data()[0] != &x.Data()[0] {
		t.Fatal("Reshape copied the data")
	}
}
