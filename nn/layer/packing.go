package layer

import (
	"fmt"

	"github.com/srbench/srbench/nn"
)

// Packing lists the kept positions of a padded batch of sequences [B, L, ·], so that layers
// whose work is per position (projections, feed-forward blocks, LayerNorm, dropout) can run on
// the kept rows only. With short histories stored in wide slots, most of a padded batch can be
// padding: the KuaiSAR-like default data fills on average 19 of 30 recommendation slots, 8 of
// 30 search slots and 27 of 60 merged slots.
type Packing struct {
	// B is the number of sequences and L the padded length.
	B, L int
	// Rows holds the flat index b·L+l of each kept position, in row-major order; its length
	// is the number of packed rows.
	Rows []int32
	// Slots holds, for each flat position b·L+l, its packed row, or nn.PaddingID.
	Slots []int32
}

// NewPacking returns the packing of the true entries of keep [B, L]. It panics unless keep is
// 2-D.
func NewPacking(keep *nn.Mask) Packing {
	if len(keep.Shape) != 2 {
		panic(fmt.Sprintf("layer: NewPacking: mask %v, want [B, L]", keep.Shape))
	}
	p := Packing{B: keep.Shape[0], L: keep.Shape[1], Slots: make([]int32, len(keep.Keep))}
	for i, k := range keep.Keep {
		if !k {
			p.Slots[i] = nn.PaddingID
			continue
		}
		p.Slots[i] = int32(len(p.Rows))
		p.Rows = append(p.Rows, int32(i))
	}
	return p
}

// Len returns the number of packed rows.
func (p Packing) Len() int { return len(p.Rows) }

// Pack returns the kept rows of x [B, L, d] as [Len, d]. It panics on another shape.
func (p Packing) Pack(x *nn.Var) *nn.Var {
	s := x.Shape()
	if len(s) != 3 || s[0] != p.B || s[1] != p.L {
		panic(fmt.Sprintf("layer: Packing.Pack: input %v, want [%d, %d, d]", s, p.B, p.L))
	}
	return nn.Gather(nn.Reshape(x, p.B*p.L, s[2]), p.Rows)
}

// Unpack returns x [Len, d] laid out as [B, L, d], with zero rows at the padded positions. It
// panics on another shape.
func (p Packing) Unpack(x *nn.Var) *nn.Var {
	s := x.Shape()
	if len(s) != 2 || s[0] != p.Len() {
		panic(fmt.Sprintf("layer: Packing.Unpack: input %v, want [%d, d]", s, p.Len()))
	}
	return nn.Reshape(nn.Gather(x, p.Slots), p.B, p.L, s[1])
}
