package joint

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

func TestSpans(t *testing.T) {
	keep := []bool{
		false, false, true, true, // right-aligned, 2 kept
		false, false, false, false, // nothing kept
		true, true, true, true, // full
		false, true, false, true, // a hole: the span starts at the first kept slot
	}
	if diff := cmp.Diff([]int{2, 0, 4, 3}, Spans(keep, 4, 4)); diff != "" {
		t.Errorf("Spans (-want +got):\n%s", diff)
	}
}

func TestBucketsSortAndCut(t *testing.T) {
	spans := []int{3, 0, 1, 3, 1, 2}
	tests := []struct {
		name              string
		width, size, step int
		want              []Bucket
	}{
		{"one bucket", 4, 8, 1, []Bucket{{Rows: []int32{2, 4, 5, 0, 3}, Width: 3}}},
		{"cut by size", 4, 2, 1, []Bucket{
			{Rows: []int32{2, 4}, Width: 1}, {Rows: []int32{5, 0}, Width: 3}, {Rows: []int32{3}, Width: 3}}},
		{"width rounded up", 5, 2, 2, []Bucket{
			{Rows: []int32{2, 4}, Width: 2}, {Rows: []int32{5, 0}, Width: 4}, {Rows: []int32{3}, Width: 4}}},
		{"rounding capped", 3, 2, 2, []Bucket{
			{Rows: []int32{2, 4}, Width: 2}, {Rows: []int32{5, 0}, Width: 3}, {Rows: []int32{3}, Width: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Buckets(spans, tt.width, tt.size, tt.step)); diff != "" {
				t.Errorf("Buckets (-want +got):\n%s", diff)
			}
		})
	}
	if got := Buckets([]int{0, 0}, 3, 2, 1); len(got) != 0 {
		t.Errorf("Buckets of rows without a kept slot = %v, want none", got)
	}
}

// trimTestInput returns x [4, 5, 3] with distinct values and a right-aligned keep mask with
// lengths 2, 5, 0 and 2.
func trimTestInput(tape *nn.Tape) (*nn.Var, []bool) {
	x := tape.Zeros(4, 5, 3)
	for i := range x.Data() {
		x.Data()[i] = float32(i)
	}
	lens := []int{2, 5, 0, 2}
	keep := make([]bool, 4*5)
	for r, n := range lens {
		for j := 5 - n; j < 5; j++ {
			keep[r*5+j] = true
		}
	}
	return x, keep
}

func TestTrimUntrimRoundTrip(t *testing.T) {
	tape := nn.NewTape(1)
	x, keep := trimTestInput(tape)
	buckets := Buckets(Spans(keep, 4, 5), 5, 2, 2)
	var outs []*nn.Var
	for _, bk := range buckets {
		outs = append(outs, bk.Trim(x))
	}
	got := Untrim(outs, buckets, keep, 4, 5).Data()
	for i, v := range got {
		want := float32(0)
		if keep[i/3] {
			want = x.Data()[i]
		}
		if v != want {
			t.Errorf("element %d (slot %d) = %v, want %v", i, i/3, v, want)
		}
	}
}

func TestBucketMask(t *testing.T) {
	keep := []bool{false, true, true, false, true, false}
	bk := Bucket{Rows: []int32{1, 0}, Width: 2}
	got := bk.Mask(nn.NewTape(1), keep, 3).Keep
	if diff := cmp.Diff([]bool{true, false, true, true}, got); diff != "" {
		t.Errorf("Mask (-want +got):\n%s", diff)
	}
}

// newTestEncoder returns a 2-head transformer encoder layer of width 4 without dropout.
func newTestEncoder() *layer.TransformerEncoderLayer {
	rng := rand.New(rand.NewPCG(3, 4))
	return layer.NewTransformerEncoderLayer("enc", layer.TransformerConfig{Dim: 4, Heads: 2, FeedForward: 6}, rng)
}

// TestEncodeTrimmedMatchesFull checks that a transformer layer run on trimmed histories gives
// the full-width outputs at every kept slot. Tolerance: 1e-5 absolute (float32 rounding).
func TestEncodeTrimmedMatchesFull(t *testing.T) {
	enc := newTestEncoder()
	tape := nn.NewTape(1)
	b, l, d := 5, 6, 4
	x := tape.Zeros(b, l, d)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range x.Data() {
		x.Data()[i] = float32(rng.NormFloat64())
	}

	lens := []int{6, 1, 3, 0, 3}
	keep := make([]bool, b*l)
	for r, n := range lens {
		for j := l - n; j < l; j++ {
			keep[r*l+j] = true
		}
	}
	full := enc.Forward(x, layer.AttentionMasks{KeyPadding: &nn.Mask{Shape: []int{b, l}, Keep: keep}}).Data()
	trimmed := EncodeTrimmed(x, keep, func(x *nn.Var, keep *nn.Mask) *nn.Var {
		return enc.Forward(x, layer.AttentionMasks{KeyPadding: keep})
	}).Data()

	for i := range trimmed {
		slot := i / d
		if !keep[slot] {
			if trimmed[i] != 0 {
				t.Errorf("padded slot %d element %d = %v, want 0", slot, i%d, trimmed[i])
			}
			continue
		}
		if math.Abs(float64(trimmed[i]-full[i])) > 1e-5 {
			t.Errorf("slot %d element %d = %v trimmed, %v at full width", slot, i%d, trimmed[i], full[i])
		}
	}
}

// TestEncodeTrimmedGradCheck checks the gradients through trimming, encoding and untrimming
// with central differences. Tolerance: relative error 1e-2 at step 3e-3; a step of 1e-2 meets
// the curvature of LayerNorm and softmax, and 1e-3 the float32 rounding of the forward pass.
func TestEncodeTrimmedGradCheck(t *testing.T) {
	enc := newTestEncoder()
	rng := rand.New(rand.NewPCG(7, 8))
	x := &nn.Param{Name: "x", Value: nn.NewTensor(3, 4, 4)}
	layer.Normal(x, 1, rng)
	keep := []bool{false, false, true, true, true, true, true, true, false, false, false, true}
	params := append([]*nn.Param{x}, enc.Params()...)
	_, err := nn.GradCheck(func(tape *nn.Tape) *nn.Var {
		return EncodeTrimmed(tape.Param(x), keep, func(x *nn.Var, keep *nn.Mask) *nn.Var {
			return enc.Forward(x, layer.AttentionMasks{KeyPadding: keep})
		})
	}, params, nn.GradCheckConfig{Step: 3e-3, Tol: 1e-2})
	if err != nil {
		t.Error(err)
	}
}

func TestEncodeTrimmedNothingKept(t *testing.T) {
	tape := nn.NewTape(1)
	x := tape.Zeros(2, 3, 4)
	calls := 0
	out := EncodeTrimmed(x, make([]bool, 6), func(x *nn.Var, _ *nn.Mask) *nn.Var {
		calls++
		return x
	})
	if calls != 0 {
		t.Errorf("encoder ran %d times on histories without a kept slot", calls)
	}
	if diff := cmp.Diff([]int{2, 3, 4}, out.Shape()); diff != "" {
		t.Errorf("output shape (-want +got):\n%s", diff)
	}
}

func TestDistinctGroups(t *testing.T) {
	ids := []int32{
		3, 4, -1,
		-1, -1, -1, // all padding
		3, 4, -1, // repeat of group 0
		4, 3, -1, // same items, other order: a different group
	}
	distinct, rows := DistinctGroups(ids, 3)
	if len(distinct) != 3*ShapeQuantum {
		t.Fatalf("distinct has %d ids, want %d groups of 3", len(distinct), ShapeQuantum)
	}
	if diff := cmp.Diff([]int32{3, 4, -1, 4, 3, -1}, distinct[:6]); diff != "" {
		t.Errorf("distinct groups (-want +got):\n%s", diff)
	}
	for i, id := range distinct[6:] {
		if id != nn.PaddingID {
			t.Errorf("padding group element %d = %d, want %d", 6+i, id, nn.PaddingID)
			break
		}
	}
	if diff := cmp.Diff([]int32{0, nn.PaddingID, 0, 1}, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if distinct, _ := DistinctGroups([]int32{-1, -1}, 2); len(distinct) != 0 {
		t.Errorf("DistinctGroups of padding only = %v, want none", distinct)
	}
}

func TestPadIDs(t *testing.T) {
	for _, n := range []int{0, 1, ShapeQuantum, ShapeQuantum + 1} {
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(i + 1)
		}
		got := PadIDs(ids, 0)
		want := (n + ShapeQuantum - 1) / ShapeQuantum * ShapeQuantum
		if len(got) != want {
			t.Errorf("PadIDs of %d ids has length %d, want %d", n, len(got), want)
			continue
		}
		if diff := cmp.Diff(ids, got[:n]); diff != "" {
			t.Errorf("PadIDs of %d ids changed them (-want +got):\n%s", n, diff)
		}
		for i, id := range got[n:] {
			if id != 0 {
				t.Errorf("PadIDs of %d ids: fill element %d = %d, want 0", n, n+i, id)
				break
			}
		}
	}
}
