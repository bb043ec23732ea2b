package layer

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/srbench/srbench/nn"
)

// parityTol is the largest accepted difference from PyTorch's float32 outputs: the two engines
// sum in different orders, which moves results by a few units in the last place (about 1e-6
// for these magnitudes).
const parityTol = 1e-5

// jsonTensor is a tensor as testdata/torch_parity.py writes it.
type jsonTensor struct {
	Shape []int     `json:"shape"`
	Data  []float32 `json:"data"`
}

// parityCase is one case of testdata/torch_parity.json. Each case uses a subset of the fields.
type parityCase struct {
	Params        map[string]jsonTensor `json:"params"`
	X             jsonTensor            `json:"x"`
	Tgt           jsonTensor            `json:"tgt"`
	Memory        jsonTensor            `json:"memory"`
	Query         jsonTensor            `json:"query"`
	Key           jsonTensor            `json:"key"`
	Value         jsonTensor            `json:"value"`
	Lengths       []int                 `json:"lengths"`
	MemoryLengths []int                 `json:"memory_lengths"`
	Y             jsonTensor            `json:"y"`
	States        jsonTensor            `json:"states"`
	Last          jsonTensor            `json:"last"`
}

// loadParity reads the PyTorch reference outputs written by testdata/torch_parity.py.
func loadParity(t *testing.T) map[string]parityCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch_parity.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]json.RawMessage
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("testdata/torch_parity.json: %v", err)
	}
	cases := make(map[string]parityCase)
	for name, msg := range file {
		if name == "torch_version" {
			continue
		}
		var c parityCase
		if err := json.Unmarshal(msg, &c); err != nil {
			t.Fatalf("testdata/torch_parity.json, case %q: %v", name, err)
		}
		cases[name] = c
	}
	return cases
}

// loadStateDict copies PyTorch's state_dict into m's parameters by name and fails unless the
// names and shapes match one to one.
func loadStateDict(t *testing.T, m nn.Module, state map[string]jsonTensor) {
	t.Helper()
	params := m.Params()
	if len(params) != len(state) {
		t.Fatalf("%d parameters %q, PyTorch has %d", len(params), paramNames(params), len(state))
	}
	for _, p := range params {
		v, ok := state[p.Name]
		if !ok {
			t.Fatalf("parameter %q has no PyTorch counterpart", p.Name)
		}
		if !slices.Equal(v.Shape, p.Value.Shape) {
			t.Fatalf("parameter %q has shape %v, PyTorch %v", p.Name, p.Value.Shape, v.Shape)
		}
		copy(p.Value.Data, v.Data)
	}
}

// constOf wraps a JSON tensor as a constant on tape tp.
func constOf(tp *nn.Tape, x jsonTensor) *nn.Var {
	return tp.Const(&nn.Tensor{Shape: x.Shape, Data: x.Data})
}

// TestTorchParity runs layers with PyTorch 1.13's weights on PyTorch's inputs, in evaluation
// mode, and compares the outputs with PyTorch's.
func TestTorchParity(t *testing.T) {
	cases := loadParity(t)
	cfg := TransformerConfig{Dim: 4, Heads: 2, FeedForward: 6}

	t.Run("Encoder", func(t *testing.T) {
		c := cases["encoder"]
		enc := NewTransformerEncoderLayer("", cfg, newRNG(1))
		loadStateDict(t, enc, c.Params)
		tp := nn.NewTape(1)
		y := enc.Forward(constOf(tp, c.X), AttentionMasks{KeyPadding: keyMask(c.Lengths, c.X.Shape[1])})
		assertClose(t, "y", y.Data(), c.Y.Data, parityTol)
	})
	t.Run("Decoder", func(t *testing.T) {
		c := cases["decoder"]
		dec := NewTransformerDecoderLayer("", cfg, newRNG(1))
		loadStateDict(t, dec, c.Params)
		tp := nn.NewTape(1)
		y := dec.Forward(constOf(tp, c.Tgt), constOf(tp, c.Memory),
			AttentionMasks{Attn: causalMask(c.Tgt.Shape[1])},
			AttentionMasks{KeyPadding: keyMask(c.MemoryLengths, c.Memory.Shape[1])})
		assertClose(t, "y", y.Data(), c.Y.Data, parityTol)
	})
	t.Run("GRU", func(t *testing.T) {
		c := cases["gru"]
		g := NewGRU("", 3, 4, newRNG(1))
		loadStateDict(t, g, c.Params)
		tp := nn.NewTape(1)
		states, last := g.Forward(constOf(tp, c.X), c.Lengths)
		assertClose(t, "states", states.Data(), c.States.Data, parityTol)
		assertClose(t, "last", last.Data(), c.Last.Data, parityTol)
	})
	t.Run("CrossAttention", func(t *testing.T) {
		c := cases["cross_attention"]
		m := NewMultiheadAttention("", 4, 2, 0, newRNG(1))
		loadStateDict(t, m, c.Params)
		tp := nn.NewTape(1)
		y := m.Forward(constOf(tp, c.Query), constOf(tp, c.Key), constOf(tp, c.Value), AttentionMasks{})
		assertClose(t, "y", y.Data(), c.Y.Data, parityTol)
	})
}
