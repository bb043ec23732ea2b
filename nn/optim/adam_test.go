package optim

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/srbench/srbench/nn"
)

// Hand computation for f(x) = ½·a·x² with a = 2, x₀ = 1, lr = 0.1, β1 = 0.9, β2 = 0.999:
//
//	step 1: g = 2, m = 0.2, v = 0.004, m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4,
//	        x₁ = 1 − 0.1·2/(2+1e-8) = 0.9 (every first Adam step moves by lr·sign(g))
//	step 2: g = 1.8, m = 0.9·0.2 + 0.1·1.8 = 0.36, v = 0.999·0.004 + 0.001·3.24 = 0.007236,
//	        m̂ = 0.36/0.19 = 1.894737, v̂ = 0.007236/0.001999 = 3.619810,
//	        x₂ = 0.9 − 0.1·1.894737/√3.619810 = 0.800412
//
// With a = 0.5, x₀ = −3: g = −1.5, x₁ = −2.9; g = −1.45, m = −0.28, v = 0.00435025,
// m̂ = −1.473684, v̂ = 2.176213, x₂ = −2.800103.
// With a = 2, x₀ = 1 and L2 0.1 the gradient is (2+0.1)·x: g = 2.1, x₁ = 0.9; g = 1.89,
// m = 0.378, v = 0.00797769, m̂ = 1.989474, v̂ = 3.990840, x₂ = 0.800412.
func TestAdamQuadraticTwoSteps(t *testing.T) {
	const tol = 1e-6
	cases := []struct {
		name      string
		a, x0, wd float32
		decay     bool
		want1     float32
		want2     float32
		wantM2    float32
		wantV2    float32
	}{
		{name: "a2", a: 2, x0: 1, want1: 0.9, want2: 0.800412, wantM2: 0.36, wantV2: 0.007236},
		{name: "a0.5", a: 0.5, x0: -3, want1: -2.9, want2: -2.800103, wantM2: -0.28, wantV2: 0.00435025},
		{name: "l2", a: 2, x0: 1, wd: 0.1, decay: true, want1: 0.9, want2: 0.800412, wantM2: 0.378, wantV2: 0.00797769},
		{name: "l2 skipped", a: 2, x0: 1, wd: 0.1, decay: false, want1: 0.9, want2: 0.800412, wantM2: 0.36, wantV2: 0.007236},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newParam("x", []int{1}, []float32{c.x0})
			p.Decay = c.decay
			cfg := DefaultAdamConfig()
			cfg.LR, cfg.WeightDecay = 0.1, float64(c.wd)
			a := mustAdam(t, []*nn.Param{p}, cfg)
			var got [2]float32
			for s := range got {
				p.Grad.Data[0] = c.a * p.Value.Data[0]
				mustStep(t, a)
				got[s] = p.Value.Data[0]
			}
			if d := abs32(got[0] - c.want1); d > tol {
				t.Errorf("x1 = %.7f, want %.7f (|diff| %g > %g)", got[0], c.want1, d, tol)
			}
			if d := abs32(got[1] - c.want2); d > tol {
				t.Errorf("x2 = %.7f, want %.7f (|diff| %g > %g)", got[1], c.want2, d, tol)
			}
			st := a.State().Params[0]
			if d := abs32(st.Moment1[0] - c.wantM2); d > tol {
				t.Errorf("m after step 2 = %.7f, want %.7f", st.Moment1[0], c.wantM2)
			}
			if d := abs32(st.Moment2[0] - c.wantV2); d > tol {
				t.Errorf("v after step 2 = %.8f, want %.8f", st.Moment2[0], c.wantV2)
			}
		})
	}
}

// referenceAdam is an independent float64 implementation of the same rule.
type referenceAdam struct {
	lr, b1, b2, eps, wd float64
	m, v                []float64
	t                   int
}

func (r *referenceAdam) step(x, g []float64) {
	r.t++
	bc1 := 1 - math.Pow(r.b1, float64(r.t))
	bc2 := 1 - math.Pow(r.b2, float64(r.t))
	for i := range x {
		gi := g[i] + r.wd*x[i]
		r.m[i] = r.b1*r.m[i] + (1-r.b1)*gi
		r.v[i] = r.b2*r.v[i] + (1-r.b2)*gi*gi
		x[i] -= r.lr / bc1 * r.m[i] / (math.Sqrt(r.v[i])/math.Sqrt(bc2) + r.eps)
	}
}

func TestAdamMatchesFloat64Reference(t *testing.T) {
	const n, steps, tol = 16, 50, 1e-5
	rng := rand.New(rand.NewPCG(7, 7))
	p := newParam("w", []int{4, 4}, nil)
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		p.Value.Data[i] = float32(x[i])
	}
	cfg := AdamConfig{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 3e-5}
	a := mustAdam(t, []*nn.Param{p}, cfg)
	ref := &referenceAdam{lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 3e-5, m: make([]float64, n), v: make([]float64, n)}
	g := make([]float64, n)
	for range steps {
		for i := range g {
			g[i] = rng.NormFloat64()
			p.Grad.Data[i] = float32(g[i])
		}
		mustStep(t, a)
		ref.step(x, g)
	}
	for i := range x {
		if d := math.Abs(float64(p.Value.Data[i]) - x[i]); d > tol {
			t.Errorf("element %d: got %.7f, float64 reference %.7f (|diff| %g > %g)", i, p.Value.Data[i], x[i], d, tol)
		}
	}
}

// TestAdamLazyMatchesDense checks that rows touched at every step move bit-identically under
// lazy and dense Adam, and that untouched rows keep their bits under lazy Adam even with L2.
func TestAdamLazyMatchesDense(t *testing.T) {
	const rows, width, steps = 10, 4, 20
	touched := []int32{1, 3, 4, 8}
	lazy := newTable("emb", rows, width, 3)
	dense := newTable("emb", rows, width, 3)
	dense.RowSparse = false
	initial := slices.Clone(lazy.Value.Data)
	cfg := DefaultAdamConfig()
	cfg.WeightDecay = 0.01

	al := mustAdam(t, []*nn.Param{lazy}, cfg)
	ad := mustAdam(t, []*nn.Param{dense}, cfg)
	rngL := rand.New(rand.NewPCG(9, 9))
	rngD := rand.New(rand.NewPCG(9, 9))
	for range steps {
		fillRows(lazy, touched, rngL)
		fillRows(dense, touched, rngD)
		mustStep(t, al)
		mustStep(t, ad)
	}

	for r := range int32(rows) {
		row := lazy.Value.Data[int(r)*width : int(r+1)*width]
		if slices.Contains(touched, r) {
			want := dense.Value.Data[int(r)*width : int(r+1)*width]
			for j := range row {
				if math.Float32bits(row[j]) != math.Float32bits(want[j]) {
					t.Errorf("touched row %d col %d: lazy %v, dense %v", r, j, row[j], want[j])
				}
			}
			continue
		}
		for j := range row {
			if math.Float32bits(row[j]) != math.Float32bits(initial[int(r)*width+j]) {
				t.Errorf("untouched row %d col %d changed: %v -> %v", r, j, initial[int(r)*width+j], row[j])
			}
		}
	}
}

// TestAdamLazyRowOwnSequence checks the per-row step count: a row touched only at some steps
// ends where dense Adam would after seeing just that row's gradients.
func TestAdamLazyRowOwnSequence(t *testing.T) {
	const width = 3
	table := newTable("emb", 5, width, 11)
	row := newParam("row", []int{1, width}, table.Value.Data[2*width:3*width])
	at := mustAdam(t, []*nn.Param{table}, DefaultAdamConfig())
	ar := mustAdam(t, []*nn.Param{row}, DefaultAdamConfig())
	rng := rand.New(rand.NewPCG(5, 5))
	touchRow2 := []bool{false, true, false, false, true, true, false, true}
	for _, touch := range touchRow2 {
		ZeroGrad([]*nn.Param{table})
		rows := []int32{0, 4}
		if touch {
			rows = []int32{0, 2, 4}
		}
		fillRows(table, rows, rng)
		mustStep(t, at)
		if touch {
			copy(row.Grad.Data, table.Grad.Data[2*width:3*width])
			mustStep(t, ar)
		}
	}
	for j := range width {
		got, want := table.Value.Data[2*width+j], row.Value.Data[j]
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("row 2 col %d: lazy %v, dense on own sequence %v", j, got, want)
		}
	}
	if got := a2RowSteps(at, 2); got != 4 {
		t.Errorf("row 2 step count = %d, want 4", got)
	}
	if got := a2RowSteps(at, 0); got != int64(len(touchRow2)) {
		t.Errorf("row 0 step count = %d, want %d", got, len(touchRow2))
	}
}

func a2RowSteps(a *Adam, row int) int64 { return a.State().Params[0].RowSteps[row] }

func TestAdamSkipsNilGrad(t *testing.T) {
	p := newParam("w", []int{2}, []float32{1, 2})
	p.Grad = nil
	a := mustAdam(t, []*nn.Param{p}, DefaultAdamConfig())
	mustStep(t, a)
	if p.Value.Data[0] != 1 || p.Value.Data[1] != 2 {
		t.Errorf("value changed without a gradient: %v", p.Value.Data)
	}
	if got := a.State().Params[0].Step; got != 0 {
		t.Errorf("step count of a skipped parameter = %d, want 0", got)
	}
	if a.Steps() != 1 {
		t.Errorf("Steps() = %d, want 1", a.Steps())
	}
}

func TestAdamDeterministic(t *testing.T) {
	run := func() []float32 {
		table := newTable("emb", 50, 8, 1)
		dense := newParam("w", []int{8}, []float32{1, 2, 3, 4, 5, 6, 7, 8})
		a := mustAdam(t, []*nn.Param{table, dense}, DefaultAdamConfig())
		rng := rand.New(rand.NewPCG(2, 2))
		for range 10 {
			ZeroGrad([]*nn.Param{table, dense})
			fillRows(table, []int32{int32(rng.IntN(10)), int32(10 + rng.IntN(40))}, rng)
			for i := range dense.Grad.Data {
				dense.Grad.Data[i] = float32(rng.NormFloat64())
			}
			mustStep(t, a)
		}
		return append(table.Value.Data, dense.Value.Data...)
	}
	first, second := run(), run()
	for i := range first {
		if math.Float32bits(first[i]) != math.Float32bits(second[i]) {
			t.Fatalf("element %d differs between runs: %v vs %v", i, first[i], second[i])
		}
	}
}

func TestAdamConfigErrors(t *testing.T) {
	p := newParam("w", []int{2}, nil)
	cases := []struct {
		name string
		edit func(*AdamConfig)
		want string
	}{
		{"zero lr", func(c *AdamConfig) { c.LR = 0 }, "learning rate 0"},
		{"nan lr", func(c *AdamConfig) { c.LR = math.NaN() }, "learning rate NaN"},
		{"beta1 one", func(c *AdamConfig) { c.Beta1 = 1 }, "Beta1 1"},
		{"beta2 negative", func(c *AdamConfig) { c.Beta2 = -0.1 }, "Beta2 -0.1"},
		{"negative eps", func(c *AdamConfig) { c.Eps = -1 }, "Eps -1"},
		{"negative decay", func(c *AdamConfig) { c.WeightDecay = -1 }, "WeightDecay -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultAdamConfig()
			c.edit(&cfg)
			_, err := NewAdam([]*nn.Param{p}, cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewAdam error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestAdamParamErrors(t *testing.T) {
	scalarTable := newParam("s", nil, []float32{1})
	scalarTable.RowSparse = true
	cases := []struct {
		name   string
		params []*nn.Param
		want   string
	}{
		{"nil param", []*nn.Param{nil}, "parameter 0 is nil"},
		{"duplicate", []*nn.Param{newParam("w", []int{1}, nil), newParam("w", []int{2}, nil)}, `share the name "w"`},
		{"scalar table", []*nn.Param{scalarTable}, `"s" is RowSparse but is a scalar`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewAdam(c.params, DefaultAdamConfig())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewAdam error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestAdamStepErrors(t *testing.T) {
	cases := []struct {
		name string
		rows []int32
		grad int
		want string
	}{
		{"row out of range", []int32{0, 4}, 8, "Rows[1] = 4 is outside [0, 4)"},
		{"negative row", []int32{-1}, 8, "Rows[0] = -1"},
		{"unsorted rows", []int32{2, 1}, 8, "Rows[1] = 1 follows 2"},
		{"repeated rows", []int32{1, 1}, 8, "Rows[1] = 1 follows 1"},
		{"short grad", []int32{0}, 6, "gradient has 6 elements, value has 8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			table := newTable("emb", 4, 2, 1)
			before := slices.Clone(table.Value.Data)
			table.Grad = nn.NewTensor(c.grad)
			table.Rows = c.rows
			a := mustAdam(t, []*nn.Param{table}, DefaultAdamConfig())
			err := a.Step()
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"emb"`) {
				t.Errorf("Step error = %v, want one naming \"emb\" and containing %q", err, c.want)
			}
			if !slices.Equal(before, table.Value.Data) {
				t.Errorf("a failed Step changed the values")
			}
		})
	}
}

func TestAdamStateRoundTrip(t *testing.T) {
	build := func() ([]*nn.Param, *Adam) {
		params := []*nn.Param{newTable("emb", 6, 2, 4), newParam("w", []int{3}, []float32{1, -1, 2})}
		return params, mustAdam(t, params, DefaultAdamConfig())
	}
	pa, a := build()
	rng := rand.New(rand.NewPCG(8, 8))
	feed := func(params []*nn.Param, rows []int32, seed uint64) {
		r := rand.New(rand.NewPCG(seed, seed))
		ZeroGrad(params)
		fillRows(params[0], rows, r)
		for i := range params[1].Grad.Data {
			params[1].Grad.Data[i] = float32(r.NormFloat64())
		}
	}
	for s := range 3 {
		feed(pa, []int32{int32(rng.IntN(6))}, uint64(s))
		mustStep(t, a)
	}
	a.SetLR(5e-4)

	pb, b := build()
	for i := range pa {
		copy(pb[i].Value.Data, pa[i].Value.Data)
	}
	if err := b.SetState(a.State()); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if b.LR() != 5e-4 || b.Steps() != 3 {
		t.Errorf("restored LR %v and steps %d, want 5e-4 and 3", b.LR(), b.Steps())
	}
	for s := range 2 {
		feed(pa, []int32{0, 5}, uint64(10+s))
		feed(pb, []int32{0, 5}, uint64(10+s))
		mustStep(t, a)
		mustStep(t, b)
	}
	for i := range pa {
		if !slices.Equal(pa[i].Value.Data, pb[i].Value.Data) {
			t.Errorf("%s: resumed run differs: %v vs %v", pa[i].Name, pa[i].Value.Data, pb[i].Value.Data)
		}
	}
}

func TestAdamSetStateErrors(t *testing.T) {
	params := []*nn.Param{newTable("emb", 3, 2, 1), newParam("w", []int{2}, nil)}
	a := mustAdam(t, params, DefaultAdamConfig())
	cases := []struct {
		name string
		edit func(*State)
		want string
	}{
		{"algorithm", func(s *State) { s.Algorithm = AlgorithmSGD }, `algorithm "sgd"`},
		{"negative lr", func(s *State) { s.LR = -1 }, "learning rate -1"},
		{"missing param", func(s *State) { s.Params[1].Name = "other" }, `no entry for parameter "w"`},
		{"duplicate", func(s *State) { s.Params[1].Name = "emb" }, `lists parameter "emb" twice`},
		{"short moments", func(s *State) { s.Params[1].Moment1 = nil }, `"w" has moments of 0 and 2 elements`},
		{"row count", func(s *State) { s.Params[0].RowSteps = s.Params[0].RowSteps[:2] }, "2 row step counts, the parameter has 3 rows"},
		{"dense row steps", func(s *State) { s.Params[1].RowSteps = []int64{1} }, `dense parameter "w" has per-row step counts`},
		{"negative step", func(s *State) { s.Params[1].Step = -2 }, "step count -2"},
		{"count", func(s *State) { s.Params = s.Params[:1] }, "state has 1 parameters, the optimizer has 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := a.State()
			c.edit(st)
			err := a.SetState(st)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("SetState error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestAdamSetLRPanics(t *testing.T) {
	a := mustAdam(t, []*nn.Param{newParam("w", []int{1}, nil)}, DefaultAdamConfig())
	defer func() {
		if recover() == nil {
			t.Errorf("SetLR(-1) did not panic")
		}
	}()
	a.SetLR(-1)
}

// TestAdamWorkersIdentical checks that splitting a step across goroutines changes no bit.
func TestAdamWorkersIdentical(t *testing.T) {
	run := func(workers int) [][]float32 {
		table := newTable("emb", 2000, 64, 1)
		dense := newTable("w", 1500, 64, 2)
		dense.RowSparse = false
		cfg := DefaultAdamConfig()
		cfg.WeightDecay, cfg.Workers = 1e-3, workers
		a := mustAdam(t, []*nn.Param{table, dense}, cfg)
		rng := rand.New(rand.NewPCG(3, 3))
		for range 3 {
			ZeroGrad([]*nn.Param{table})
			rows := make([]int32, 0, 1600)
			for r := range int32(2000) {
				if rng.IntN(5) != 0 {
					rows = append(rows, r)
				}
			}
			fillRows(table, rows, rng)
			for i := range dense.Grad.Data {
				dense.Grad.Data[i] = float32(rng.NormFloat64())
			}
			mustStep(t, a)
		}
		return [][]float32{table.Value.Data, dense.Value.Data}
	}
	serial := run(1)
	for _, workers := range []int{2, 3, 8} {
		got := run(workers)
		for k := range serial {
			for i := range serial[k] {
				if math.Float32bits(serial[k][i]) != math.Float32bits(got[k][i]) {
					t.Fatalf("workers %d: tensor %d element %d = %v, serial %v", workers, k, i, got[k][i], serial[k][i])
				}
			}
		}
	}
}

func TestParallelChunksCover(t *testing.T) {
	cases := []struct{ n, perItem, workers int }{
		{0, 1, 4}, {10, 1, 4}, {100_000, 1, 3}, {7680, 64, 2}, {5, 1 << 20, 8},
	}
	for _, c := range cases {
		seen := make([]int32, c.n)
		var calls atomic.Int32
		parallelChunks(c.n, c.perItem, c.workers, func(lo, hi int) {
			calls.Add(1)
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		})
		for i, v := range seen {
			if v != 1 {
				t.Fatalf("n %d workers %d: item %d visited %d times", c.n, c.workers, i, v)
			}
		}
		if got := int(calls.Load()); got > max(c.workers, 1) {
			t.Errorf("n %d: %d chunks for %d workers", c.n, got, c.workers)
		}
	}
}
