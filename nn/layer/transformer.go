package layer

import (
	"math/rand/v2"

	"github.com/srbench/srbench/nn"
)

// TransformerConfig sets the sizes of a transformer layer.
type TransformerConfig struct {
	// Dim is the model width (d_model), a multiple of Heads.
	Dim int
	// Heads is the number of attention heads (nhead).
	Heads int
	// FeedForward is the hidden width of the feed-forward block (dim_feedforward).
	FeedForward int
	// Dropout is the drop probability in attention, after each sub-block and inside the
	// feed-forward block, in [0, 1).
	Dropout float32
}

// TransformerEncoderLayer is torch.nn.TransformerEncoderLayer with batch_first=True,
// norm_first=False (post-LayerNorm) and ReLU:
//
//	x = norm1(x + dropout1(self_attn(x, x, x)))
//	x = norm2(x + dropout2(linear2(dropout(relu(linear1(x))))))
type TransformerEncoderLayer struct {
	SelfAttn         *MultiheadAttention // "name.self_attn"
	Linear1, Linear2 *Linear             // "name.linear1" [FeedForward, Dim], "name.linear2"
	Norm1, Norm2     *LayerNorm          // "name.norm1", "name.norm2"
	Dropout          float32
}

// NewTransformerEncoderLayer returns an encoder layer named name with weights drawn from rng.
// It panics on sizes that NewMultiheadAttention or NewLinear reject.
func NewTransformerEncoderLayer(name string, cfg TransformerConfig, rng *rand.Rand) *TransformerEncoderLayer {
	return &TransformerEncoderLayer{
		SelfAttn: NewMultiheadAttention(joinName(name, "self_attn"), cfg.Dim, cfg.Heads, cfg.Dropout, rng),
		Linear1:  NewLinear(joinName(name, "linear1"), cfg.Dim, cfg.FeedForward, true, rng),
		Linear2:  NewLinear(joinName(name, "linear2"), cfg.FeedForward, cfg.Dim, true, rng),
		Norm1:    NewLayerNorm(joinName(name, "norm1"), cfg.Dim),
		Norm2:    NewLayerNorm(joinName(name, "norm2"), cfg.Dim),
		Dropout:  cfg.Dropout,
	}
}

// Forward encodes x [B, L, Dim] under masks (src_key_padding_mask and mask in PyTorch) and
// returns [B, L, Dim].
func (e *TransformerEncoderLayer) Forward(x *nn.Var, masks AttentionMasks) *nn.Var {
	x = e.Norm1.Forward(nn.Add(x, nn.Dropout(e.SelfAttn.Forward(x, x, x, masks), e.Dropout)))
	return e.Norm2.Forward(nn.Add(x, nn.Dropout(feedForward(e.Linear1, e.Linear2, x, e.Dropout), e.Dropout)))
}

// ForwardPacked is Forward on the kept positions x [p.Len(), Dim] of packed sequences, whose
// masks must hide the padded keys. It returns [p.Len(), Dim]: the rows Forward gives at the kept
// positions, with dropout drawn over fewer elements.
func (e *TransformerEncoderLayer) ForwardPacked(x *nn.Var, p Packing, masks AttentionMasks) *nn.Var {
	x = e.Norm1.Forward(nn.Add(x, nn.Dropout(e.SelfAttn.ForwardPacked(x, p, x, x, p, masks), e.Dropout)))
	return e.Norm2.Forward(nn.Add(x, nn.Dropout(feedForward(e.Linear1, e.Linear2, x, e.Dropout), e.Dropout)))
}

// Params returns the parameters in PyTorch's state_dict order: self_attn, linear1, linear2,
// norm1, norm2.
func (e *TransformerEncoderLayer) Params() []*nn.Param {
	return Collect(e.SelfAttn, e.Linear1, e.Linear2, e.Norm1, e.Norm2)
}

// feedForward returns linear2(dropout(relu(linear1(x)))).
func feedForward(l1, l2 *Linear, x *nn.Var, p float32) *nn.Var {
	return l2.Forward(nn.Dropout(nn.ReLU(l1.Forward(x)), p))
}

// TransformerDecoderLayer is torch.nn.TransformerDecoderLayer with batch_first=True,
// norm_first=False and ReLU:
//
//	x = norm1(x + dropout1(self_attn(x, x, x)))
//	x = norm2(x + dropout2(multihead_attn(x, memory, memory)))
//	x = norm3(x + dropout3(linear2(dropout(relu(linear1(x))))))
type TransformerDecoderLayer struct {
	SelfAttn            *MultiheadAttention // "name.self_attn"
	CrossAttn           *MultiheadAttention // "name.multihead_attn"
	Linear1, Linear2    *Linear             // "name.linear1", "name.linear2"
	Norm1, Norm2, Norm3 *LayerNorm          // "name.norm1", "name.norm2", "name.norm3"
	Dropout             float32
}

// NewTransformerDecoderLayer returns a decoder layer named name with weights drawn from rng.
// It panics on sizes that NewMultiheadAttention or NewLinear reject.
func NewTransformerDecoderLayer(name string, cfg TransformerConfig, rng *rand.Rand) *TransformerDecoderLayer {
	return &TransformerDecoderLayer{
		SelfAttn:  NewMultiheadAttention(joinName(name, "self_attn"), cfg.Dim, cfg.Heads, cfg.Dropout, rng),
		CrossAttn: NewMultiheadAttention(joinName(name, "multihead_attn"), cfg.Dim, cfg.Heads, cfg.Dropout, rng),
		Linear1:   NewLinear(joinName(name, "linear1"), cfg.Dim, cfg.FeedForward, true, rng),
		Linear2:   NewLinear(joinName(name, "linear2"), cfg.FeedForward, cfg.Dim, true, rng),
		Norm1:     NewLayerNorm(joinName(name, "norm1"), cfg.Dim),
		Norm2:     NewLayerNorm(joinName(name, "norm2"), cfg.Dim),
		Norm3:     NewLayerNorm(joinName(name, "norm3"), cfg.Dim),
		Dropout:   cfg.Dropout,
	}
}

// Forward decodes tgt [B, Lt, Dim] against memory [B, Lm, Dim] and returns [B, Lt, Dim].
// tgtMasks restrict the self-attention (tgt_mask, tgt_key_padding_mask), memoryMasks the
// cross-attention (memory_mask [Lt, Lm], memory_key_padding_mask [B, Lm]).
func (d *TransformerDecoderLayer) Forward(tgt, memory *nn.Var, tgtMasks, memoryMasks AttentionMasks) *nn.Var {
	x := d.Norm1.Forward(nn.Add(tgt, nn.Dropout(d.SelfAttn.Forward(tgt, tgt, tgt, tgtMasks), d.Dropout)))
	x = d.Norm2.Forward(nn.Add(x, nn.Dropout(d.CrossAttn.Forward(x, memory, memory, memoryMasks), d.Dropout)))
	return d.Norm3.Forward(nn.Add(x, nn.Dropout(feedForward(d.Linear1, d.Linear2, x, d.Dropout), d.Dropout)))
}

// ForwardPacked is Forward on packed sequences: tgt [tp.Len(), Dim] and memory [mp.Len(), Dim]
// hold the kept positions of tp and mp, and the masks must hide the padded keys. It returns
// [tp.Len(), Dim].
func (d *TransformerDecoderLayer) ForwardPacked(tgt *nn.Var, tp Packing, memory *nn.Var, mp Packing, tgtMasks, memoryMasks AttentionMasks) *nn.Var {
	x := d.Norm1.Forward(nn.Add(tgt, nn.Dropout(d.SelfAttn.ForwardPacked(tgt, tp, tgt, tgt, tp, tgtMasks), d.Dropout)))
	x = d.Norm2.Forward(nn.Add(x, nn.Dropout(d.CrossAttn.ForwardPacked(x, tp, memory, memory, mp, memoryMasks), d.Dropout)))
	return d.Norm3.Forward(nn.Add(x, nn.Dropout(feedForward(d.Linear1, d.Linear2, x, d.Dropout), d.Dropout)))
}

// Params returns the parameters in PyTorch's state_dict order: self_attn, multihead_attn,
// linear1, linear2, norm1, norm2, norm3.
func (d *TransformerDecoderLayer) Params() []*nn.Param {
	return Collect(d.SelfAttn, d.CrossAttn, d.Linear1, d.Linear2, d.Norm1, d.Norm2, d.Norm3)
}
