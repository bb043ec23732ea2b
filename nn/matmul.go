package nn

import "fmt"

// gemmShape is the geometry of one or a batch of products op(A) op(B).
type gemmShape struct {
	batch, m, n, k int
	lda, ldb       int
}

// MatMul returns op(a) × op(b), where op transposes its argument when the flag is set. The
// flags go to BLAS, so no transposed copy is made. Accepted shapes:
//
//   - a [M, K] and b [K, N] (as stored before op) give [M, N];
//   - a [..., L, K] of rank 3 or more and a 2-D b give [..., L, N]: the leading dimensions of a
//     fold into rows without a copy (transA must be false);
//   - a [B, M, K] and b [B, K, N] give the batched product [B, M, N].
//
// It panics on other ranks or mismatched inner dimensions.
func MatMul(a, b *Var, transA, transB bool) *Var {
	t := a.tape
	checkTape(t, b)
	g, outShape, rank := matmulShape(a.val.Shape, b.val.Shape, transA, transB)
	out := t.outputDirty(outShape[:rank]...) // beta = 0 overwrites every element
	sc := g.m * g.n
	for i := 0; i < g.batch; i++ {
		t.gemm(transA, transB, g.m, g.n, g.k, 1,
			a.val.Data[i*g.m*g.k:], g.lda, b.val.Data[i*g.k*g.n:], g.ldb, 0, out.val.Data[i*sc:], g.n)
	}
	if n := t.record(backwardMatMul, out, a, b); n != nil {
		n.a, n.b, n.flag0, n.flag1 = a, b, transA, transB
	}
	return out
}

// matmulShape validates the operands of MatMul and returns the GEMM geometry and output shape.
func matmulShape(as, bs []int, transA, transB bool) (g gemmShape, out [maxRank]int, rank int) {
	ra, rb := len(as), len(bs)
	switch {
	case ra == 2 && rb == 2, ra >= 3 && rb == 2 && !transA:
		rows := shapeLen(as[:ra-1])
		g = gemmShape{batch: 1, m: rows, k: as[ra-1], lda: as[ra-1]}
		if transA {
			g.m, g.k = as[1], as[0]
		}
		rank = copy(out[:], as[:ra-1])
		if ra == 2 {
			out[0] = g.m
		}
	case ra == 3 && rb == 3 && as[0] == bs[0]:
		g = gemmShape{batch: as[0], m: as[1], k: as[2], lda: as[2]}
		if transA {
			g.m, g.k = as[2], as[1]
		}
		out[0], out[1], rank = as[0], g.m, 2
	default:
		panic(fmt.Sprintf("nn: MatMul: unsupported shapes %s × %s (transA %v, transB %v)", shapeString(as), shapeString(bs), transA, transB))
	}
	kb, n := bs[rb-2], bs[rb-1]
	if transB {
		kb, n = n, kb
	}
	if kb != g.k {
		panic(fmt.Sprintf("nn: MatMul: inner dimensions differ: %s × %s (transA %v, transB %v)", shapeString(as), shapeString(bs), transA, transB))
	}
	g.n, g.ldb = n, bs[rb-1]
	out[rank] = n
	return g, out, rank + 1
}

// backwardMatMul applies dA = dC op(B)ᵀ (or its transpose when A was transposed) and
// dB = op(A)ᵀ dC (likewise), accumulating into the gradients with beta = 1.
func backwardMatMul(t *Tape, n *node) {
	a, b, transA, transB := n.a, n.b, n.flag0, n.flag1
	g, _, _ := matmulShape(a.val.Shape, b.val.Shape, transA, transB)
	dc := n.out.grad.Data
	da, db := t.gradIfNeeded(a), t.gradIfNeeded(b)
	sa, sb, sc := g.m*g.k, g.k*g.n, g.m*g.n
	for i := 0; i < g.batch; i++ {
		dci, ai, bi := dc[i*sc:], a.val.Data[i*sa:], b.val.Data[i*sb:]
		switch {
		case da == nil:
		case !transA:
			t.gemm(false, !transB, g.m, g.k, g.n, 1, dci, g.n, bi, g.ldb, 1, da[i*sa:], g.lda)
		default:
			t.gemm(transB, true, g.k, g.m, g.n, 1, bi, g.ldb, dci, g.n, 1, da[i*sa:], g.lda)
		}
		switch {
		case db == nil:
		case !transB:
			t.gemm(!transA, false, g.k, g.n, g.m, 1, ai, g.lda, dci, g.n, 1, db[i*sb:], g.ldb)
		default:
			t.gemm(true, transA, g.n, g.k, g.m, 1, dci, g.n, ai, g.lda, 1, db[i*sb:], g.ldb)
		}
	}
}
