package nn

import "fmt"

// GRUCell computes one step of a GRU with PyTorch's gate equations and weight layout:
//
//	r = σ(gi_r + W_hr h + b_hr)
//	z = σ(gi_z + W_hz h + b_hz)
//	n = tanh(gi_n + r ⊙ (W_hn h + b_hn))
//	h' = (1 − z) ⊙ n + z ⊙ h
//
// gi [B, 3H] is the input projection x·W_ihᵀ + b_ih with blocks (r, z, n), which a layer
// computes for all time steps at once with one MatMul. h is [B, H], wHH is [3H, H] (PyTorch's
// weight_hh_l0) and bHH is [3H] or nil. The hidden product and the gates are fused into one
// op with one backward. It panics on mismatched shapes.
func GRUCell(gi, h, wHH, bHH *Var) *Var {
	t := h.tape
	checkTape(t, gi, wHH, bHH)
	b, hid := gruShape(gi, h, wHH, bHH)
	gh := t.f32.get(b * 3 * hid)
	t.gemm(false, true, b, 3*hid, hid, 1, h.val.Data, hid, wHH.val.Data, hid, 0, gh, 3*hid)
	gates := t.f32.get(b * 3 * hid) // r, z, n per row
	out := t.output(b, hid)
	for i := 0; i < b; i++ {
		row := i * 3 * hid
		if bHH != nil {
			for j, v := range bHH.val.Data {
				gh[row+j] += v
			}
		}
		gruGates(gi.val.Data[row:row+3*hid], gh[row:row+3*hid], gates[row:row+3*hid],
			h.val.Data[i*hid:(i+1)*hid], out.val.Data[i*hid:(i+1)*hid])
	}
	if nd := t.record(backwardGRUCell, out, gi, h, wHH, bHH); nd != nil {
		nd.a, nd.b, nd.c, nd.d, nd.buf, nd.buf2 = gi, h, wHH, bHH, gates, gh
	}
	return out
}

func gruShape(gi, h, wHH, bHH *Var) (b, hid int) {
	hs := h.val.Shape
	if len(hs) != 2 {
		panic(fmt.Sprintf("nn: GRUCell: hidden state has shape %s, want [B, H]", shapeString(hs)))
	}
	b, hid = hs[0], hs[1]
	gs, ws := gi.val.Shape, wHH.val.Shape
	if len(gs) != 2 || gs[0] != b || gs[1] != 3*hid || len(ws) != 2 || ws[0] != 3*hid || ws[1] != hid {
		panic(fmt.Sprintf("nn: GRUCell: shapes gi %s, h %s, weight_hh %s; want [%d, %d], [%d, %d], [%d, %d]",
			shapeString(gs), shapeString(hs), shapeString(ws), b, 3*hid, b, hid, 3*hid, hid))
	}
	if bHH != nil && len(bHH.val.Data) != 3*hid {
		panic(fmt.Sprintf("nn: GRUCell: bias_hh has shape %s, want [%d]", shapeString(bHH.val.Shape), 3*hid))
	}
	return b, hid
}

// gruGates evaluates the gates of one row: gi and gh are the input and hidden projections,
// gates receives r, z, n and out receives h'.
func gruGates(gi, gh, gates, h, out []float32) {
	hid := len(h)
	for j := 0; j < hid; j++ {
		r := sigmoid32(gi[j] + gh[j])
		z := sigmoid32(gi[hid+j] + gh[hid+j])
		n := tanh32(gi[2*hid+j] + r*gh[2*hid+j])
		gates[j], gates[hid+j], gates[2*hid+j] = r, z, n
		out[j] = (1-z)*n + z*h[j]
	}
}

func backwardGRUCell(t *Tape, nd *node) {
	gi, h, wHH, bHH := nd.a, nd.b, nd.c, nd.d
	b, hid := gruShape(gi, h, wHH, bHH)
	gates, gh, dy := nd.buf, nd.buf2, nd.out.grad.Data
	dgh := t.f32.get(b * 3 * hid)
	dgi := t.gradIfNeeded(gi)
	dh := t.gradIfNeeded(h)
	hv := h.val.Data
	for i := 0; i < b; i++ {
		row := i * 3 * hid
		for j := 0; j < hid; j++ {
			r, z, n := gates[row+j], gates[row+hid+j], gates[row+2*hid+j]
			g := dy[i*hid+j]
			dz := g * (hv[i*hid+j] - n)
			dnPre := g * (1 - z) * (1 - n*n)
			drPre := dnPre * gh[row+2*hid+j] * r * (1 - r)
			dzPre := dz * z * (1 - z)
			dgh[row+j], dgh[row+hid+j], dgh[row+2*hid+j] = drPre, dzPre, dnPre*r
			if dgi != nil {
				dgi[row+j] += drPre
				dgi[row+hid+j] += dzPre
				dgi[row+2*hid+j] += dnPre
			}
			if dh != nil {
				dh[i*hid+j] += g * z
			}
		}
	}
	if dh != nil {
		t.gemm(false, false, b, hid, 3*hid, 1, dgh, 3*hid, wHH.val.Data, hid, 1, dh, hid)
	}
	if dw := t.gradIfNeeded(wHH); dw != nil {
		t.gemm(true, false, 3*hid, hid, b, 1, dgh, 3*hid, hv, hid, 1, dw, hid)
	}
	if db := t.gradIfNeeded(bHH); db != nil {
		for i := 0; i < b; i++ {
			for j, v := range dgh[i*3*hid : (i+1)*3*hid] {
				db[j] += v
			}
		}
	}
}
