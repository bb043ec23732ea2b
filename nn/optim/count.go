package optim

import (
	"sort"
	"strings"

	"github.com/srbench/srbench/nn"
)

// CountParams returns the number of scalars in params. Nil parameters count as zero.
func CountParams(params []*nn.Param) int {
	n := 0
	for _, p := range params {
		if p != nil && p.Value != nil {
			n += len(p.Value.Data)
		}
	}
	return n
}

// PrefixCount is the number of scalars in the parameters whose names share a prefix.
type PrefixCount struct {
	// Prefix is the first components of the dotted names.
	Prefix string
	// Params is the number of parameters with the prefix.
	Params int
	// Scalars is the number of scalars in them.
	Scalars int
}

// CountByPrefix groups params by the first depth components of their dotted names
// ("rec_encoder.layers.0.weight" has prefix "rec_encoder" at depth 1) and returns the counts
// sorted by prefix. A name with fewer components is its own prefix. A depth below 1 counts as 1.
func CountByPrefix(params []*nn.Param, depth int) []PrefixCount {
	depth = max(depth, 1)
	index := make(map[string]int)
	var counts []PrefixCount
	for _, p := range params {
		if p == nil || p.Value == nil {
			continue
		}
		prefix := namePrefix(p.Name, depth)
		i, ok := index[prefix]
		if !ok {
			i = len(counts)
			index[prefix] = i
			counts = append(counts, PrefixCount{Prefix: prefix})
		}
		counts[i].Params++
		counts[i].Scalars += len(p.Value.Data)
	}
	sort.Slice(counts, func(a, b int) bool { return counts[a].Prefix < counts[b].Prefix })
	return counts
}

// namePrefix returns the first depth dot-separated components of name.
func namePrefix(name string, depth int) string {
	parts := strings.SplitN(name, ".", depth+1)
	if len(parts) <= depth {
		return name
	}
	return strings.Join(parts[:depth], ".")
}
