package layer

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// GRU is a one-layer, unidirectional torch.nn.GRU with batch_first=True over padded sequences.
//
// The input projection of all time steps is one product. Each step then runs nn.GRUCell,
// which fuses the hidden product and the gates.
type GRU struct {
	// WeightIH is [3·Hidden, In] and WeightHH [3·Hidden, Hidden], gate blocks (r, z, n) as in
	// PyTorch ("name.weight_ih_l0", "name.weight_hh_l0"). Weight decay applies.
	WeightIH, WeightHH *nn.Param
	// BiasIH and BiasHH are [3·Hidden] ("name.bias_ih_l0", "name.bias_hh_l0") without decay.
	BiasIH, BiasHH *nn.Param
	// In is the input width and Hidden the state width.
	In, Hidden int
}

// NewGRU returns a GRU named name whose weights and biases are drawn from U(−1/√hidden,
// 1/√hidden) with rng, PyTorch's initialisation. It panics on a non-positive width.
func NewGRU(name string, in, hidden int, rng *rand.Rand) *GRU {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("layer: NewGRU %q: widths in %d, hidden %d must be positive", name, in, hidden))
	}
	g := &GRU{
		WeightIH: newParam(joinName(name, "weight_ih_l0"), true, 3*hidden, in),
		WeightHH: newParam(joinName(name, "weight_hh_l0"), true, 3*hidden, hidden),
		BiasIH:   newParam(joinName(name, "bias_ih_l0"), false, 3*hidden),
		BiasHH:   newParam(joinName(name, "bias_hh_l0"), false, 3*hidden),
		In:       in,
		Hidden:   hidden,
	}
	bound := 1 / math.Sqrt(float64(hidden))
	for _, p := range g.Params() {
		Uniform(p, bound, rng)
	}
	return g
}

// Forward runs the GRU over x [B, L, In] from a zero initial state. Row i is valid for its
// first lengths[i] steps (nil lengths: all L steps), as with pack_padded_sequence.
//
// It returns the states of all steps, [B, L, Hidden], with zeros at the padded steps (as
// pad_packed_sequence gives), and the last valid state of each row, [B, Hidden], which is zero
// for a row of length 0. It panics if x is not [B, L, In] or a length lies outside [0, L].
func (g *GRU) Forward(x *nn.Var, lengths []int) (states, last *nn.Var) {
	b, steps := g.checkInput(x, lengths)
	t := x.Tape()
	h3 := 3 * g.Hidden
	gi := nn.Affine(x, t.Param(g.WeightIH), t.Param(g.BiasIH)) // [B, L, 3H]
	whh, bhh := t.Param(g.WeightHH), t.Param(g.BiasHH)

	h := t.Zeros(b, g.Hidden)
	outs := make([]*nn.Var, steps)
	active := activeSteps(lengths, steps)
	for s := active; s < steps; s++ {
		// Every row is padding from here on: the output is zero and the state carries over,
		// exactly what the masked update below would give, without computing the cell.
		outs[s] = t.Zeros(b, g.Hidden)
	}
	for s := range active {
		step := nn.Reshape(nn.Narrow(gi, 1, s, 1), b, h3)
		next := nn.GRUCell(step, h, whh, bhh)
		keep, drop := stepMasks(t, lengths, s)
		if keep == nil {
			h = next
			outs[s] = next
			continue
		}
		// Padded rows output zero and carry their state unchanged to the next step.
		outs[s] = nn.Mul(next, keep)
		h = nn.Add(outs[s], nn.Mul(h, drop))
	}
	for s, o := range outs {
		outs[s] = nn.Reshape(o, b, 1, g.Hidden)
	}
	if steps == 1 {
		return outs[0], h
	}
	return nn.Concat(1, outs...), h
}

// checkInput validates x and lengths and returns the batch size and the number of steps.
func (g *GRU) checkInput(x *nn.Var, lengths []int) (b, steps int) {
	xs := x.Shape()
	if len(xs) != 3 || xs[2] != g.In || xs[1] == 0 {
		panic(fmt.Sprintf("layer: GRU: input %v, want [B, L, %d] with L ≥ 1", xs, g.In))
	}
	b, steps = xs[0], xs[1]
	if lengths == nil {
		return b, steps
	}
	if len(lengths) != b {
		panic(fmt.Sprintf("layer: GRU: %d lengths for a batch of %d", len(lengths), b))
	}
	for i, n := range lengths {
		if n < 0 || n > steps {
			panic(fmt.Sprintf("layer: GRU: length %d of row %d outside [0, %d]", n, i, steps))
		}
	}
	return b, steps
}

// activeSteps returns the number of leading steps at which some row is valid: the longest
// length, or steps for nil lengths.
func activeSteps(lengths []int, steps int) int {
	if lengths == nil {
		return steps
	}
	n := 0
	for _, l := range lengths {
		n = max(n, l)
	}
	return n
}

// stepMasks returns [B, 1] constants that are 1 (keep) or 0 (drop) on rows valid at step s, or
// nils when every row is valid there.
func stepMasks(t *nn.Tape, lengths []int, s int) (keep, drop *nn.Var) {
	padded := false
	for _, n := range lengths {
		padded = padded || s >= n
	}
	if !padded {
		return nil, nil
	}
	keep, drop = t.Zeros(len(lengths), 1), t.Zeros(len(lengths), 1)
	for i, n := range lengths {
		if s < n {
			keep.Data()[i] = 1
		} else {
			drop.Data()[i] = 1
		}
	}
	return keep, drop
}

// Params returns weight_ih, weight_hh, bias_ih, bias_hh, PyTorch's order.
func (g *GRU) Params() []*nn.Param {
	return []*nn.Param{g.WeightIH, g.WeightHH, g.BiasIH, g.BiasHH}
}
