package joint

import (
	"encoding/binary"
	"fmt"

	"github.com/srbench/srbench/nn"
)

// ShapeQuantum is the multiple to which PadIDs and DistinctGroups round the number of
// distinct items, queries and groups of a batch. That number changes from batch to batch, and
// the tape's buffer pool keeps one free list per buffer length, so unrounded counts would
// leave buffers of hundreds of rarely repeated lengths on those lists.
const ShapeQuantum = 256

// PadIDs returns ids extended with copies of fill to a multiple of ShapeQuantum, for a lookup
// whose extra rows no one gathers. fill must be a valid id, because the lookup embeds the
// extra rows too.
func PadIDs(ids []int32, fill int32) []int32 {
	n := (len(ids) + ShapeQuantum - 1) / ShapeQuantum * ShapeQuantum
	out := make([]int32, n)
	copy(out, ids)
	for i := len(ids); i < n; i++ {
		out[i] = fill
	}
	return out
}

// DistinctGroups lists the distinct groups of width ids in ids (row-major [n, width]), so that
// a per-group computation such as the mean clicked item of a search session runs once per
// distinct group instead of once per history slot. It returns the distinct groups, each width
// ids in order of first occurrence, and for each of the n groups its row among them, or
// nn.PaddingID for a group that is all padding. The distinct groups end with all-padding
// groups up to a multiple of ShapeQuantum groups, which no row refers to. It panics if
// len(ids) is not a multiple of width or width < 1.
func DistinctGroups(ids []int32, width int) (distinct, rows []int32) {
	if width < 1 || len(ids)%width != 0 {
		panic(fmt.Sprintf("joint: DistinctGroups: %d ids do not form groups of width %d", len(ids), width))
	}
	n := len(ids) / width
	rows = make([]int32, n)
	index := make(map[string]int32)
	key := make([]byte, 4*width)
	for g := range n {
		group := ids[g*width : (g+1)*width]
		rows[g] = nn.PaddingID
		empty := true
		for j, id := range group {
			binary.LittleEndian.PutUint32(key[4*j:], uint32(id))
			empty = empty && id == nn.PaddingID
		}
		if empty {
			continue
		}
		if r, ok := index[string(key)]; ok {
			rows[g] = r
			continue
		}
		r := int32(len(distinct) / width)
		index[string(key)] = r
		rows[g] = r
		distinct = append(distinct, group...)
	}
	if len(distinct) > 0 {
		groups := len(distinct) / width
		for range (groups+ShapeQuantum-1)/ShapeQuantum*ShapeQuantum - groups {
			for range width {
				distinct = append(distinct, nn.PaddingID)
			}
		}
	}
	return distinct, rows
}
