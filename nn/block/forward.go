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
// widths must not exceed RecLen, SearchLen and their sum. It panics on inconsistent shapes.
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
	out.Intra[KindRec] = f.Intra(t, KindRec, in.Rec, out.Keep[KindRec])
	out.Intra[KindSearch] = f.Intra(t, KindSearch, in.Search, out.Keep[KindSearch])
	out.Inter[KindRec], out.Inter[KindSearch] = f.inter(t, in, b, lr, ls, lm)
	for k, dec := range [2][]*layer.TransformerDecoderLayer{f.recDec, f.searchDec} {
		h := out.Intra[k]
		masks := layer.AttentionMasks{KeyPadding: out.Keep[k]}
		for _, l := range dec {
			h = l.Forward(h, out.Inter[k], masks, masks)
		}
		out.H[k] = h
	}
	return out
}

// Intra runs the encoder of one scenario (KindRec or KindSearch) on behaviours x [B, L, Dim]
// with key-padding mask keep [B, L] and returns the intra-scenario representation [B, L, Dim].
// A single-scenario model uses it alone.
func (f *Fusion) Intra(t *nn.Tape, kind int, x *nn.Var, keep *nn.Mask) *nn.Var {
	pos, enc := f.RecPos, f.recEnc
	if kind == KindSearch {
		pos, enc = f.SearchPos, f.searchEnc
	}
	l := x.Shape()[1]
	h := nn.Add(x, nn.Narrow(t.Param(pos), 0, 0, l))
	for _, e := range enc {
		h = e.Forward(h, layer.AttentionMasks{KeyPadding: keep})
	}
	return h
}

// inter runs the global encoder over the time-merged sequence, where position i may attend to
// position j only when both are filled and belong to different scenarios (M_ij = 1(b_i ≠ b_j),
// no causal mask), and reads the result back at each scenario's slots.
func (f *Fusion) inter(t *nn.Tape, in FusionInput, b, lr, ls, lm int) (rec, search *nn.Var) {
	d := f.Config.Dim
	gatherIDs := make([]int32, b*lm)
	recBack := make([]int32, b*lr)
	searchBack := make([]int32, b*ls)
	for i := range recBack {
		recBack[i] = nn.PaddingID
	}
	for i := range searchBack {
		searchBack[i] = nn.PaddingID
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
				recBack[r*lr+int(slot)] = int32(i)
			case KindSearch:
				gatherIDs[i] = int32(b*lr+r*ls) + slot
				searchBack[r*ls+int(slot)] = int32(i)
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
	all := nn.Concat(0, nn.Reshape(in.Rec, b*lr, d), nn.Reshape(in.Search, b*ls, d))
	g := nn.Add(nn.Reshape(nn.Gather(all, gatherIDs), b, lm, d), nn.Narrow(t.Param(f.GlobalPos), 0, 0, lm))
	for _, e := range f.globalEnc {
		g = e.Forward(g, layer.AttentionMasks{KeyPadding: keys, Attn: attn})
	}
	flat := nn.Reshape(g, b*lm, d)
	rec = nn.Reshape(nn.Gather(flat, recBack), b, lr, d)
	search = nn.Reshape(nn.Gather(flat, searchBack), b, ls, d)
	return rec, search
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
