package layer

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/srbench/srbench/nn"
)

func TestParamNames(t *testing.T) {
	cfg := TransformerConfig{Dim: 4, Heads: 2, FeedForward: 8}
	tests := []struct {
		name   string
		module nn.Module
		want   []string
	}{
		{"Encoder", NewTransformerEncoderLayer("encoder", cfg, newRNG(1)), []string{
			"encoder.self_attn.in_proj_weight", "encoder.self_attn.in_proj_bias",
			"encoder.self_attn.out_proj.weight", "encoder.self_attn.out_proj.bias",
			"encoder.linear1.weight", "encoder.linear1.bias", "encoder.linear2.weight", "encoder.linear2.bias",
			"encoder.norm1.weight", "encoder.norm1.bias", "encoder.norm2.weight", "encoder.norm2.bias",
		}},
		{"GRU", NewGRU("gru", 3, 4, newRNG(1)), []string{
			"gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0",
		}},
		{"MLP", NewMLP("head", MLPConfig{In: 4, Hidden: []int{3}, Out: 1, Activation: ActPReLU}, newRNG(1)), []string{
			"head.layers.0.weight", "head.layers.0.bias", "head.activations.0.weight", "head.output.weight", "head.output.bias",
		}},
		{"Embedding", NewEmbedding("", 3, 2, 1, newRNG(1)), []string{"weight"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := paramNames(tc.module.Params()); !slices.Equal(got, tc.want) {
				t.Fatalf("names %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecoderParamNames(t *testing.T) {
	d := NewTransformerDecoderLayer("dec", TransformerConfig{Dim: 4, Heads: 1, FeedForward: 8}, newRNG(1))
	names := paramNames(d.Params())
	if len(names) != 18 {
		t.Fatalf("%d parameters, want 18: %q", len(names), names)
	}
	for i, want := range []string{"dec.self_attn.in_proj_weight", "dec.multihead_attn.in_proj_weight", "dec.norm3.bias"} {
		if !slices.Contains(names, want) {
			t.Fatalf("case %d: %q missing from %q", i, want, names)
		}
	}
}

func TestInitDeterministic(t *testing.T) {
	a := NewTransformerEncoderLayer("e", TransformerConfig{Dim: 8, Heads: 2, FeedForward: 16}, newRNG(5)).Params()
	b := NewTransformerEncoderLayer("e", TransformerConfig{Dim: 8, Heads: 2, FeedForward: 16}, newRNG(5)).Params()
	c := NewTransformerEncoderLayer("e", TransformerConfig{Dim: 8, Heads: 2, FeedForward: 16}, newRNG(6)).Params()
	for i := range a {
		if !slices.Equal(a[i].Value.Data, b[i].Value.Data) {
			t.Fatalf("%s differs for the same seed", a[i].Name)
		}
	}
	if slices.Equal(a[0].Value.Data, c[0].Value.Data) {
		t.Fatalf("%s is identical for seeds 5 and 6", a[0].Name)
	}
}

func TestXavierBound(t *testing.T) {
	l := NewLinear("fc", 30, 20, true, newRNG(2))
	bound := math.Sqrt(6.0 / 50)
	maxAbs := 0.0
	for _, w := range l.Weight.Value.Data {
		maxAbs = math.Max(maxAbs, math.Abs(float64(w)))
	}
	if maxAbs > bound || maxAbs < 0.9*bound {
		t.Fatalf("largest |weight| %.4f, want in [%.4f, %.4f]", maxAbs, 0.9*bound, bound)
	}
	for i, b := range l.Bias.Value.Data {
		if b != 0 {
			t.Fatalf("bias[%d] = %g, want 0", i, b)
		}
	}
}

func TestLinearValues(t *testing.T) {
	l := NewLinear("fc", 2, 2, true, newRNG(1))
	copy(l.Weight.Value.Data, []float32{1, 2, 3, 4}) // [out, in]
	copy(l.Bias.Value.Data, []float32{0.5, -1})
	tp := nn.NewTape(1)
	x := tp.Const(&nn.Tensor{Shape: []int{1, 2}, Data: []float32{1, -1}})
	// y0 = 1·1 + 2·(−1) + 0.5 = −0.5 and y1 = 3·1 + 4·(−1) − 1 = −2.
	assertClose(t, "y", l.Forward(x).Data(), []float32{-0.5, -2}, 0)
}

func TestEmbeddingPadding(t *testing.T) {
	e := NewEmbedding("emb", 4, 3, 1, newRNG(1))
	tp := nn.NewTape(1)
	y := e.Forward(tp, []int32{2, -1}, 1, 2)
	if got := y.Shape(); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("shape %v, want [1 2 3]", got)
	}
	assertClose(t, "row 0", y.Data()[:3], e.Weight.Value.Data[6:9], 0)
	assertClose(t, "padding row", y.Data()[3:], []float32{0, 0, 0}, 0)
}

func TestEmbeddingCheckIDs(t *testing.T) {
	e := NewEmbedding("items", 4, 3, 1, newRNG(1))
	if err := e.CheckIDs([]int32{0, 3, -1}); err != nil {
		t.Fatalf("valid ids: %v", err)
	}
	err := e.CheckIDs([]int32{0, 4})
	if err == nil {
		t.Fatal("id 4 in a table of 4 rows was accepted")
	}
	for _, part := range []string{`"items.weight"`, "id 4", "position 1"} {
		if !strings.Contains(err.Error(), part) {
			t.Fatalf("error %q does not contain %s", err, part)
		}
	}
}

func TestAttentionFullyMaskedRow(t *testing.T) {
	m := NewMultiheadAttention("attn", 4, 2, 0, newRNG(1))
	Normal(m.OutProj.Bias, 1, newRNG(2))
	x := inputParam("x", 3, 2, 3, 4)
	tp := nn.NewTape(1)
	xv := tp.Param(x)
	y := m.Forward(xv, xv, xv, AttentionMasks{KeyPadding: keyMask([]int{3, 0}, 3)})
	assertClose(t, "fully masked sequence", y.Data()[12:], make([]float32, 12), 0)
	for i, v := range y.Data()[:12] {
		if v == 0 || math.IsNaN(float64(v)) {
			t.Fatalf("valid sequence output[%d] = %g", i, v)
		}
	}
	tp.Backward(nn.Sum(y))
	for i, g := range xv.Grad.Data {
		if math.IsNaN(float64(g)) {
			t.Fatalf("gradient[%d] is NaN", i)
		}
	}
}

// TestAttentionMasksIgnoreKeys changes keys that a mask hides and checks that the outputs they
// must not reach stay identical.
func TestAttentionMasksIgnoreKeys(t *testing.T) {
	m := NewMultiheadAttention("attn", 4, 2, 0, newRNG(1))
	run := func(x *nn.Param, masks AttentionMasks) []float32 {
		tp := nn.NewTape(1)
		v := tp.Param(x)
		return m.Forward(v, v, v, masks).Data()
	}
	base := inputParam("x", 4, 1, 3, 4)
	changed := inputParam("x", 4, 1, 3, 4)
	for j := 8; j < 12; j++ { // position 2 of the only sequence
		changed.Value.Data[j] += 1
	}
	causal := AttentionMasks{Attn: causalMask(3)}
	assertClose(t, "causal positions 0-1", run(changed, causal)[:8], run(base, causal)[:8], 0)
	padded := AttentionMasks{KeyPadding: keyMask([]int{2}, 3)}
	assertClose(t, "padded key, positions 0-1", run(changed, padded)[:8], run(base, padded)[:8], 0)
}

func TestGRUPadding(t *testing.T) {
	g := NewGRU("gru", 3, 4, newRNG(1))
	x := inputParam("x", 2, 2, 4, 3)
	tp := nn.NewTape(1)
	states, last := g.Forward(tp.Param(x), []int{4, 2})
	// Row 1 is valid for 2 steps: its steps 2 and 3 output zero and its last state is step 1.
	sd := states.Data()
	assertClose(t, "padded steps", sd[16+8:32], make([]float32, 8), 0)
	assertClose(t, "last state, row 1", last.Data()[4:], sd[16+4:16+8], 0)
	assertClose(t, "last state, row 0", last.Data()[:4], sd[12:16], 0)

	// Running row 1 alone on its two valid steps gives the same states.
	short := &nn.Param{Name: "short", Value: &nn.Tensor{Shape: []int{1, 2, 3}, Data: x.Value.Data[12:18]}}
	tp2 := nn.NewTape(1)
	alone, _ := g.Forward(tp2.Param(short), nil)
	assertClose(t, "row 1 alone", sd[16:24], alone.Data(), 1e-6)
}

func TestDINScores(t *testing.T) {
	a := NewDINAttention("din", 2, []int{4}, ActPReLU, newRNG(1))
	q := inputParam("q", 2, 2, 2)
	k := inputParam("k", 3, 2, 3, 2)
	tp := nn.NewTape(1)
	qv, kv := tp.Param(q), tp.Param(k)
	mask := keyMask([]int{3, 1}, 3)
	scores := a.Scores(qv, kv, mask).Data()
	assertClose(t, "masked scores", scores[4:], []float32{0, 0}, 0)
	pooled := a.Forward(qv, kv, mask).Data()
	want := make([]float32, 4)
	for b := range 2 {
		for j := range 3 {
			for c := range 2 {
				want[b*2+c] += scores[b*3+j] * k.Value.Data[(b*3+j)*2+c]
			}
		}
	}
	assertClose(t, "pooled", pooled, want, 1e-6)
}

func TestPLEOutputs(t *testing.T) {
	p := NewPLE("ple", PLEConfig{In: 5, Tasks: 3, Levels: 2, SharedExperts: 2, TaskExperts: 1,
		ExpertHidden: []int{6, 4}, Activation: ActReLU}, newRNG(1))
	outs := p.Forward(nn.NewTape(1).Const(nn.NewTensor(7, 5)))
	if len(outs) != 3 {
		t.Fatalf("%d outputs, want 3", len(outs))
	}
	for i, o := range outs {
		if !slices.Equal(o.Shape(), []int{7, 4}) {
			t.Fatalf("output %d has shape %v, want [7 4]", i, o.Shape())
		}
	}
	if p.Levels[1].SharedGate != nil || p.Levels[0].SharedGate == nil {
		t.Fatal("only levels below the last need a shared gate")
	}
	// Level 0's shared gate mixes 3 tasks × 1 expert + 2 shared experts.
	if got := p.Levels[0].SharedGate.Out; got != 5 {
		t.Fatalf("shared gate width %d, want 5", got)
	}
}

func TestParseActivation(t *testing.T) {
	for k := ActIdentity; k <= ActDice; k++ {
		got, err := ParseActivation(k.String())
		if err != nil || got != k {
			t.Fatalf("ParseActivation(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseActivation("gelu"); err == nil {
		t.Fatal("unknown activation gelu was accepted")
	}
}

func TestDiceRunningStats(t *testing.T) {
	a := NewActivation("dice", ActDice, 2)
	tp := nn.NewTape(1)
	tp.Train = true
	// Channel 0 sees 1 and 3 (mean 2, biased variance 1), channel 1 sees 0 and 0.
	a.Forward(tp.Const(&nn.Tensor{Shape: []int{2, 2}, Data: []float32{1, 0, 3, 0}}))
	a.UpdateRunningStats([]*nn.Tape{tp})
	// running = 0.9·(0, 0) + 0.1·(2, 0) for the mean and 0.9·(1, 1) + 0.1·(1, 0) for the variance.
	assertClose(t, "running mean", a.Running.Mean, []float32{0.2, 0}, 1e-6)
	assertClose(t, "running variance", a.Running.Var, []float32{1, 0.9}, 1e-6)
}

// TestDINFirstLayerSplit checks that the split evaluation of the first layer gives the scores
// of the MLP applied to the explicit features [q, k, q−k, q⊙k].
func TestDINFirstLayerSplit(t *testing.T) {
	for _, hidden := range [][]int{{5, 3}, nil} {
		a := NewDINAttention("din", 3, hidden, ActPReLU, newRNG(1))
		Normal(a.MLP.firstLinear().Bias, 1, newRNG(2))
		q := inputParam("q", 3, 2, 3)
		k := inputParam("k", 4, 2, 4, 3)
		tp := nn.NewTape(1)
		qv, kv := tp.Param(q), tp.Param(k)
		got := a.Scores(qv, kv, nil).Data()

		q3 := nn.Reshape(qv, 2, 1, 3)
		expanded := nn.Add(tp.Zeros(2, 4, 3), q3)
		features := nn.Concat(-1, expanded, kv, nn.Sub(q3, kv), nn.Mul(kv, q3))
		assertClose(t, "scores", got, a.MLP.Forward(features).Data(), 1e-5)
	}
}
