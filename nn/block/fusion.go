package block

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Scenario codes of FusionInput.MergedKind; they equal datasets.Rec and datasets.Search.
const (
	KindRec    = 0
	KindSearch = 1
)

// FusionConfig sets the sizes of a Fusion block. UniSARConfig returns UniSAR's values.
type FusionConfig struct {
	// Dim is the width d of behaviours and representations.
	Dim int
	// Heads, Layers, FFN and Dropout configure each transformer (encoders and decoders).
	Heads, Layers, FFN int
	Dropout            float32
	// RecLen and SearchLen are the maximum history lengths, which size the learned positional
	// embeddings; the global sequence has RecLen+SearchLen positions.
	RecLen, SearchLen int
	// AlignTemp initialises the learnable temperature τ of the alignment loss.
	AlignTemp float32
}

// UniSARConfig returns the settings of UniSAR's public code for width dim and the given
// history lengths: 1 layer, 2 heads, feed-forward width 64, dropout 0.1, temperature 0.1.
func UniSARConfig(dim, recLen, searchLen int) FusionConfig {
	return FusionConfig{Dim: dim, Heads: 2, Layers: 1, FFN: 64, Dropout: 0.1,
		RecLen: recLen, SearchLen: searchLen, AlignTemp: 0.1}
}

// Fusion is the cross-scenario behaviour fusion of UniSAR (Shi et al., SIGIR 2024), which DHIM
// reuses: per-scenario transformer encoders give the intra-scenario representations; a global
// transformer over both histories merged by time, where a position attends only to positions of
// the other scenario, gives the inter-scenario ones; a per-scenario decoder layer attends from
// intra (query) to inter (key and value) and applies a feed-forward network. AlignLoss is the
// contrastive alignment of the mean intra and mean inter representation of each user.
type Fusion struct {
	Config FusionConfig
	// RecPos, SearchPos and GlobalPos are the learned positional embeddings, [RecLen, Dim],
	// [SearchLen, Dim] and [RecLen+SearchLen, Dim], indexed by history slot.
	RecPos, SearchPos, GlobalPos *nn.Param
	recEnc, searchEnc, globalEnc []*layer.TransformerEncoderLayer
	recDec, searchDec            []*layer.TransformerDecoderLayer
	// AlignW and AlignTau hold the bilinear similarity matrix [Dim, Dim] and the temperature
	// [1] of the alignment loss, indexed by KindRec and KindSearch.
	AlignW, AlignTau [2]*nn.Param
}

// NewFusion returns a Fusion block whose parameter names start with name, initialised from
// rng. It panics on non-positive sizes or a Dim that Heads does not divide.
func NewFusion(name string, cfg FusionConfig, rng *rand.Rand) *Fusion {
	if cfg.Dim <= 0 || cfg.Layers <= 0 || cfg.FFN <= 0 || cfg.RecLen <= 0 || cfg.SearchLen <= 0 || !(cfg.AlignTemp > 0) {
		panic(fmt.Sprintf("block: NewFusion %q: invalid config %+v", name, cfg))
	}
	d := cfg.Dim
	f := &Fusion{Config: cfg}
	f.RecPos = positionParam(name+".rec_pos", rng, cfg.RecLen, d)
	f.SearchPos = positionParam(name+".src_pos", rng, cfg.SearchLen, d)
	f.GlobalPos = positionParam(name+".global_pos", rng, cfg.RecLen+cfg.SearchLen, d)
	tc := layer.TransformerConfig{Dim: d, Heads: cfg.Heads, FeedForward: cfg.FFN, Dropout: cfg.Dropout}
	for i := range cfg.Layers {
		layerName := func(part string) string { return fmt.Sprintf("%s.%s.layers.%d", name, part, i) }
		f.recEnc = append(f.recEnc, layer.NewTransformerEncoderLayer(layerName("rec_transformer"), tc, rng))
		f.searchEnc = append(f.searchEnc, layer.NewTransformerEncoderLayer(layerName("src_transformer"), tc, rng))
		f.globalEnc = append(f.globalEnc, layer.NewTransformerEncoderLayer(layerName("global_transformer"), tc, rng))
		f.recDec = append(f.recDec, layer.NewTransformerDecoderLayer(layerName("rec_cross_fusion"), tc, rng))
		f.searchDec = append(f.searchDec, layer.NewTransformerDecoderLayer(layerName("src_cross_fusion"), tc, rng))
	}
	for k, part := range []string{"rec_align", "src_align"} {
		// UniSAR initialises the similarity matrix Xavier-normal and τ at his_cl_temp.
		w := &nn.Param{Name: name + "." + part + ".weight", Value: nn.NewTensor(d, d), Decay: true}
		layer.Normal(w, math.Sqrt(2/float64(2*d)), rng)
		tau := &nn.Param{Name: name + "." + part + ".temperature", Value: nn.NewTensor(1)}
		layer.Fill(tau, cfg.AlignTemp)
		f.AlignW[k], f.AlignTau[k] = w, tau
	}
	return f
}

// positionParam returns a [rows, cols] positional embedding drawn Xavier-normal, from
// N(0, 2/(rows+cols)), as UniSAR's PositionalEmbedding initialises its table
// (models/layers.py in github.com/TengShi-RUC/UniSAR). For 30 positions and d = 64 the
// standard deviation is 0.15, the scale of the behaviour embeddings it is added to; N(0, 1)
// would drown them.
func positionParam(name string, rng *rand.Rand, rows, cols int) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(rows, cols), Decay: true}
	layer.Normal(p, math.Sqrt(2/float64(rows+cols)), rng)
	return p
}

// Params returns the positional embeddings, the encoders (rec, search, global), the decoders
// (rec, search) and the alignment parameters, in that order.
func (f *Fusion) Params() []*nn.Param {
	ps := []*nn.Param{f.RecPos, f.SearchPos, f.GlobalPos}
	for _, group := range [][]*layer.TransformerEncoderLayer{f.recEnc, f.searchEnc, f.globalEnc} {
		for _, l := range group {
			ps = append(ps, l.Params()...)
		}
	}
	for _, group := range [][]*layer.TransformerDecoderLayer{f.recDec, f.searchDec} {
		for _, l := range group {
			ps = append(ps, l.Params()...)
		}
	}
	return append(ps, f.AlignW[0], f.AlignW[1], f.AlignTau[0], f.AlignTau[1])
}
