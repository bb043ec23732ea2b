package unifiedssr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// siameseLayer is one layer of UnifiedSSR's Siamese encoder (SiameseEncoderLayer in
// modules.py), pre-LayerNorm: self-attention over the branch's own sequence, cross-attention
// from it to the other branch's sequence (not normalised), then a ReLU feed-forward block, each
// added back as a residual after dropout.
type siameseLayer struct {
	selfAttn, crossAttn *layer.MultiheadAttention
	linear1, linear2    *layer.Linear
	norms               [3]*layer.LayerNorm
	dropout             float32
}

func newSiameseLayer(name string, cfg Config, rng *rand.Rand) *siameseLayer {
	l := &siameseLayer{
		selfAttn:  layer.NewMultiheadAttention(name+".self_attn", cfg.Dim, cfg.Heads, cfg.AttentionDropout, rng),
		crossAttn: layer.NewMultiheadAttention(name+".cross_attn", cfg.Dim, cfg.Heads, cfg.AttentionDropout, rng),
		linear1:   layer.NewLinear(name+".feed_forward.w_1", cfg.Dim, cfg.FFN, true, rng),
		linear2:   layer.NewLinear(name+".feed_forward.w_2", cfg.FFN, cfg.Dim, true, rng),
		dropout:   cfg.Dropout,
	}
	for i := range l.norms {
		l.norms[i] = layer.NewLayerNorm(fmt.Sprintf("%s.sublayer.%d.norm", name, i), cfg.Dim)
	}
	return l
}

func (l *siameseLayer) Params() []*nn.Param {
	return layer.Collect(l.selfAttn, l.crossAttn, l.linear1, l.linear2, l.norms[0], l.norms[1], l.norms[2])
}

// Forward encodes x [B, L, d] against other [B, L, d]; keys [B, L] masks the padded keys of
// both attentions, as the reference applies the branch's own mask to both.
func (l *siameseLayer) Forward(x, other *nn.Var, keys *nn.Mask) *nn.Var {
	masks := layer.AttentionMasks{KeyPadding: keys}
	n := l.norms[0].Forward(x)
	x = nn.Add(x, nn.Dropout(l.selfAttn.Forward(n, n, n, masks), l.dropout))
	n = l.norms[1].Forward(x)
	x = nn.Add(x, nn.Dropout(l.crossAttn.Forward(n, other, other, masks), l.dropout))
	n = l.norms[2].Forward(x)
	ff := l.linear2.Forward(nn.Dropout(nn.ReLU(l.linear1.Forward(n)), l.dropout))
	return nn.Add(x, nn.Dropout(ff, l.dropout))
}

// siameseEncoder stacks the layers and normalises the output.
//
// NOTE: the reference's SiameseEncoder.forward passes the input, not the previous layer's
// output, to every layer, so only its last layer shapes the result; here the layers are
// stacked as a transformer's are.
type siameseEncoder struct {
	layers []*siameseLayer
	norm   *layer.LayerNorm
}

func newSiameseEncoder(name string, cfg Config, rng *rand.Rand) *siameseEncoder {
	e := &siameseEncoder{norm: layer.NewLayerNorm(name+".norm", cfg.Dim)}
	for i := range cfg.Layers {
		e.layers = append(e.layers, newSiameseLayer(fmt.Sprintf("%s.layers.%d", name, i), cfg, rng))
	}
	return e
}

func (e *siameseEncoder) Params() []*nn.Param {
	var ps []*nn.Param
	for _, l := range e.layers {
		ps = append(ps, l.Params()...)
	}
	return append(ps, e.norm.Params()...)
}

func (e *siameseEncoder) Forward(x, other *nn.Var, keys *nn.Mask) *nn.Var {
	for _, l := range e.layers {
		x = l.Forward(x, other, keys)
	}
	return e.norm.Forward(x)
}

// sinusoid returns the fixed positional encoding [length, dim] of the Transformer (Vaswani et
// al., 2017), PositionalEncoding in modules.py: sin at even and cos at odd channels.
func sinusoid(length, dim int) *nn.Tensor {
	pe := nn.NewTensor(length, dim)
	for pos := range length {
		for i := 0; i < dim; i += 2 {
			angle := float64(pos) * math.Exp(-float64(i)*math.Log(10000)/float64(dim))
			pe.Data[pos*dim+i] = float32(math.Sin(angle))
			if i+1 < dim {
				pe.Data[pos*dim+i+1] = float32(math.Cos(angle))
			}
		}
	}
	return pe
}
