package bsarec

import (
	"fmt"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Encode returns the user vector of each row of b, [Size, Dim]: the last block's output at
// the most recent history position. The last block attends from that position only and
// computes its residuals, LayerNorms and feed-forward step there, because no other position
// reaches the output. It panics if b's history width differs from the data's
// max_rec_history.
func (m *Model) Encode(t *nn.Tape, b *prep.Batch) *nn.Var {
	n, l := b.Size, b.RecWidth
	if l != m.maxLen {
		panic(fmt.Sprintf("%s: batch history width %d, but the model was built for %d", name, l, m.maxLen))
	}
	items := b.RecItems[:n*l]
	x := m.embed.Forward(t, items, n, l)
	full, last := m.masks(t, items, n, l)
	lowPass := t.Const(m.lowPass)
	for i, blk := range m.blocks {
		if i == len(m.blocks)-1 {
			x = blk.forward(x, lowPass, last, true)
		} else {
			x = blk.forward(x, lowPass, full, false)
		}
	}
	if len(m.blocks) == 0 {
		x = nn.Narrow(x, 1, l-1, 1)
	}
	return nn.Reshape(x, n, m.cfg.Dim)
}

// masks returns the attention masks of the hidden blocks (padded keys and later positions
// masked) and of the last block, whose only query is the last position, so that the causal
// mask keeps every key there.
func (m *Model) masks(t *nn.Tape, items []int32, n, l int) (full, last layer.AttentionMasks) {
	padding := t.NewMask(n, l)
	for i, item := range items {
		padding.Keep[i] = item != nn.PaddingID
	}
	causal := t.NewMask(l, l)
	for i := range l {
		for j := 0; j <= i; j++ {
			causal.Keep[i*l+j] = true
		}
	}
	return layer.AttentionMasks{KeyPadding: padding, Attn: causal}, layer.AttentionMasks{KeyPadding: padding}
}

// forward applies the block to x [B, L, Dim]. With lastOnly it returns [B, 1, Dim], the
// output at position L−1 alone.
func (blk *block) forward(x, lowPass *nn.Var, masks layer.AttentionMasks, lastOnly bool) *nn.Var {
	l := x.Shape()[1]
	query := x
	if lastOnly {
		query = nn.Narrow(x, 1, l-1, 1)
	}
	dsp := blk.frequency(x, query, lowPass, lastOnly)
	attended := blk.attn.Forward(query, x, x, masks)
	gsp := blk.attnNorm.Forward(nn.Add(query, nn.Dropout(attended, blk.dropout)))
	mixed := nn.Add(nn.Scale(dsp, blk.alpha), nn.Scale(gsp, 1-blk.alpha))
	return blk.ffn.Forward(mixed)
}

// frequency is the attentive inductive bias: low + β²·(x − low), where low keeps the
// low-frequency bins of x's real FFT, followed by dropout, the residual to query and
// LayerNorm. The authors' rfft and irfft use norm="ortho" (1/√L each way); numpy's default
// pair used here scales by 1 and 1/L, and the round trip is the same linear map.
func (blk *block) frequency(x, query, lowPass *nn.Var, lastOnly bool) *nn.Var {
	l := x.Shape()[1]
	re, im := nn.RFFT(x)
	low := nn.IRFFT(nn.Mul(re, lowPass), nn.Mul(im, lowPass), l)
	if lastOnly {
		low = nn.Narrow(low, 1, l-1, 1)
	}
	sqrtBeta := query.Tape().Param(blk.sqrtBeta)
	high := nn.Sub(query, low)
	mixed := nn.Add(low, nn.Mul(high, nn.Mul(sqrtBeta, sqrtBeta)))
	return blk.freqNorm.Forward(nn.Add(query, nn.Dropout(mixed, blk.dropout)))
}
