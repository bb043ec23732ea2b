package block

import (
	"fmt"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// FusionInput is one batch of histories for Fusion.Forward. Histories are stored per row in
// fixed-width slots; a slot is padding when its id is nn.PaddingID.
type FusionInput struct {
	// Rec [B, RecWidth, Dim] and Search [B, SearchWidth, Dim] are the behaviour embeddings.
	Rec, Search *nn.Var
	// RecIDs [B·RecWidth] and SearchIDs [B·SearchWidth] mark padding slots with nn.PaddingID.
	RecIDs, SearchIDs []int32
	// MergedKind [B·MergedWidth] is KindRec, KindSearch or -1 (padding) per position of the
	// time-merged sequence, and MergedSlot the position's slot in its own history.
	MergedKind, MergedSlot []int32
}

// FusionOutput holds the representations that Fusion.Forward computes, each [B, L, Dim] for
// the scenario's history width L. Index KindRec and KindSearch.
type FusionOutput struct {
	// H is the fused behaviour representation H_t of each scenario.
	H [2]*nn.Var
	// Intra and Inter are the intra-scenario (own encoder) and inter-scenario (global
	// encoder, read back at the scenario's slots) representations.
	Intra, Inter [2]*nn.Var
	// Keep is the key-padding mask [B, L] of each scenario.
	Keep [2]*nn.Mask
}

// Forward runs the block on one batch. Positional embeddings are added by slot index, so the
// widths must not exceed RecLen, SearchLen and their sum. The transformers run on the filled
// positions only (layer.Packing); every output is zero at the padded positions, which the
// masks in Keep mark. It panics on inconsistent shapes.
func (f *Fusion) Forward(t *nn.Tape, in FusionInput) FusionOutput {
	var out FusionOutput
	b := in.Rec.Shape()[0]
	lr, ls := in.Rec.Shape()[1], in.Search.Shape()[1]
	lm := len(in.MergedKind) / max(b, 1)
	if lm*b != len(in.MergedKind) || len(in.MergedSlot) != len(in.MergedKind) || lm > f.Config.RecLen+f.Config.SearchLen {
		panic(fmt.Sprintf("block: Fusion: %d merged kinds and %d slots for %d rows", len(in.MergedKind), len(in.MergedSlot), b))
	}
	out.Keep[KindRec] = KeepMask(t, in.RecIDs, b, lr)
	out.Keep[KindSearch] = KeepMask(t, in.SearchIDs, b, ls)
	packs := [2]layer.Packing{layer.NewPacking(out.Keep[KindRec]), layer.NewPacking(out.Keep[KindSearch])}
	var intra [2]*nn.Var
	for k, x := range [2]*nn.Var{in.Rec, in.Search} {
		intra[k] = f.intraPacked(t, k, x, packs[k], out.Keep[k])
	}
	inter := f.inter(t, in, packs, b, lr, ls, lm)
	for k, dec := range [2][]*layer.TransformerDecoderLayer{f.recDec, f.searchDec} {
		h := intra[k]
		masks := layer.AttentionMasks{KeyPadding: out.Keep[k]}
		for _, l := range dec {
			h = l.ForwardPacked(h, packs[k], inter[k], packs[k], masks, masks)
		}
		out.H[k] = packs[k].Unpack(h)
		out.Intra[k] = packs[k].Unpack(intra[k])
		out.Inter[k] = packs[k].Unpack(inter[k])
	}
	return out
}

// Intra runs the encoder of one scenario (KindRec or KindSearch) on behaviours x [B, L, Dim]
// with key-padding mask keep [B, L] and returns the intra-scenario representation [B, L, Dim],
// zero at the padded positions. A single-scenario model uses it alone.
func (f *Fusion) Intra(t *nn.Tape, kind int, x *nn.Var, keep *nn.Mask) *nn.Var {
	p := layer.NewPacking(keep)
	return p.Unpack(f.intraPacked(t, kind, x, p, keep))
}

// intraPacked is Intra on the filled positions p of x; it returns [p.Len(), Dim].
func (f *Fusion) intraPacked(t *nn.Tape, kind int, x *nn.Var, p layer.Packing, keep *nn.Mask) *nn.Var {
	pos, enc := f.RecPos, f.recEnc
	if kind == KindSearch {
		pos, enc = f.SearchPos, f.searchEnc
	}
	l := x.Shape()[1]
	h := p.Pack(nn.Add(x, nn.Narrow(t.Param(pos), 0, 0, l)))
	for _, e := range enc {
		h = e.ForwardPacked(h, p, layer.AttentionMasks{KeyPadding: keep})
	}
	return h
}

// inter runs the global encoder over the time-merged sequence, where position i may attend to
// position j only when both are filled and belong to different scenarios (M_ij = 1(b_i ≠ b_j),
// no causal mask), and reads the result back at each scenario's filled slots, packed as packs
// lists them: [packs[k].Len(), Dim] for scenario k.
func (f *Fusion) inter(t *nn.Tape, in FusionInput, packs [2]layer.Packing, b, lr, ls, lm int) [2]*nn.Var {
	d := f.Config.Dim
	gatherIDs := make([]int32, b*lm)
	// mergedAt[k][i] is the merged position of scenario k's flat slot i, or -1.
	mergedAt := [2][]int32{make([]int32, b*lr), make([]int32, b*ls)}
	for k := range mergedAt {
		for i := range mergedAt[k] {
			mergedAt[k][i] = -1
		}
	}
	keys := t.NewMask(b, lm)
	attn := t.NewMask(b, lm, lm)
	for r := range b {
		for p := range lm {
			i := r*lm + p
			kind, slot := in.MergedKind[i], in.MergedSlot[i]
			switch kind {
			case KindRec:
				gatherIDs[i] = int32(r*lr) + slot
				mergedAt[KindRec][r*lr+int(slot)] = int32(i)
			case KindSearch:
				gatherIDs[i] = int32(b*lr+r*ls) + slot
				mergedAt[KindSearch][r*ls+int(slot)] = int32(i)
			default:
				gatherIDs[i] = nn.PaddingID
				continue
			}
			keys.Keep[i] = true
			for q := range lm {
				other := in.MergedKind[r*lm+q]
				attn.Keep[i*lm+q] = other >= 0 && other != kind
			}
		}
	}
	merged := layer.NewPacking(keys)
	all := nn.Concat(0, nn.Reshape(in.Rec, b*lr, d), nn.Reshape(in.Search, b*ls, d))
	g := nn.Add(nn.Reshape(nn.Gather(all, gatherIDs), b, lm, d), nn.Narrow(t.Param(f.GlobalPos), 0, 0, lm))
	h := merged.Pack(g)
	for _, e := range f.globalEnc {
		h = e.ForwardPacked(h, merged, layer.AttentionMasks{KeyPadding: keys, Attn: attn})
	}
	var out [2]*nn.Var
	for k, p := range packs {
		back := make([]int32, p.Len())
		for j, flat := range p.Rows {
			back[j] = nn.PaddingID
			if at := mergedAt[k][flat]; at >= 0 {
				back[j] = merged.Slots[at]
			}
		}
		out[k] = nn.Gather(h, back)
	}
	return out
}

// AlignLoss returns L_Align = L_Align^r + L_Align^s: for each scenario, BiCL between the mean
// intra-scenario and the mean inter-scenario representation of each row, with the other rows
// of the batch as negatives, under the scenario's bilinear similarity and learnable
// temperature. Rows without history in a scenario are left out of that scenario's term.
func (f *Fusion) AlignLoss(t *nn.Tape, out FusionOutput) *nn.Var {
	var total *nn.Var
	for k := range 2 {
		intra, valid := MaskedMean(out.Intra[k], out.Keep[k])
		inter, _ := MaskedMean(out.Inter[k], out.Keep[k])
		loss := BiCL(intra, inter, t.Param(f.AlignW[k]), t.Param(f.AlignTau[k]), valid, nil)
		if total == nil {
			total = loss
		} else {
			total = nn.Add(total, loss)
		}
	}
	return total
}
