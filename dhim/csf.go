package dhim

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Horizons index the long-term and short-term interests.
const (
	long  = 0
	short = 1
)

// crossFusion is the cross-scenario dual-horizon interest fusion: for each horizon x a gate
// μ_x = σ(G_x(u_x^r, u_x^s, u_x^r − u_x^s, u_x^r ⊙ u_x^s)) mixes u_x = μ_x u_x^r + (1 − μ_x) u_x^s
// (eqs. 11–12, with each gate reading its own horizon's interests), and a decoder per horizon
// and scenario maps u_x back to û_x^t.
type crossFusion struct {
	gates [2]*layer.MLP
	// decoders[x][k] decodes horizon x into scenario k.
	decoders [2][2]*layer.MLP
}

func newCrossFusion(o Options, rng *rand.Rand) *crossFusion {
	d := o.Dim
	gateOut := 1
	if o.GateKind == GateVector {
		gateOut = d
	}
	c := &crossFusion{}
	for x, horizon := range []string{"long", "short"} {
		gc := layer.MLPConfig{In: 4 * d, Hidden: []int{o.GateHidden}, Out: gateOut, Activation: layer.ActReLU}
		c.gates[x] = layer.NewMLP(fmt.Sprintf("csf.%s_gate", horizon), gc, rng)
		for k, scenario := range scenarioNames {
			dc := layer.MLPConfig{In: d, Out: d, Activation: layer.ActReLU}
			if o.DecoderHidden > 0 {
				dc.Hidden = []int{o.DecoderHidden}
			}
			c.decoders[x][k] = layer.NewMLP(fmt.Sprintf("csf.%s_to_%s", horizon, scenario), dc, rng)
		}
	}
	return c
}

func (c *crossFusion) Params() []*nn.Param {
	var ps []*nn.Param
	for x := range 2 {
		ps = append(ps, c.gates[x].Params()...)
		for k := range 2 {
			ps = append(ps, c.decoders[x][k].Params()...)
		}
	}
	return ps
}

// forward returns û[x][k] for horizon x and scenario k from the per-scenario interests
// u[x][k], each [B, d].
func (c *crossFusion) forward(u [2][2]*nn.Var) [2][2]*nn.Var {
	var out [2][2]*nn.Var
	for x := range 2 {
		rec, src := u[x][0], u[x][1]
		diff := nn.Sub(rec, src)
		mu := nn.Sigmoid(c.gates[x].Forward(nn.Concat(-1, rec, src, diff, nn.Mul(rec, src))))
		fused := nn.Add(src, nn.Mul(mu, diff)) // μ·u^r + (1−μ)·u^s
		for k := range 2 {
			out[x][k] = c.decoders[x][k].Forward(fused)
		}
	}
	return out
}
