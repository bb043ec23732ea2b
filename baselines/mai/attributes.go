package mai

import (
	"fmt"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/nn"
)

// attributeTable lists the attribute values of every item: values[item·count + a] is the value
// of attribute a (the item id for a = 0, the category id of level a−1 otherwise), or
// nn.PaddingID when the item's category path is shorter.
type attributeTable struct {
	count  int
	values []int32
}

// newAttributeTable reads the item id and the category levels of every item, coarsest first.
// It keeps the given number of levels, or as many as the deepest path has when levels is 0.
// It returns an error for a category id outside the dataset's category list.
func newAttributeTable(ds *datasets.Dataset, levels int) (attributeTable, error) {
	if levels == 0 {
		for _, item := range ds.Items {
			levels = max(levels, len(item.Categories))
		}
	}
	t := attributeTable{count: 1 + levels, values: make([]int32, len(ds.Items)*(1+levels))}
	for i, item := range ds.Items {
		row := t.values[i*t.count : (i+1)*t.count]
		row[0] = int32(i)
		for a := 1; a < t.count; a++ {
			row[a] = nn.PaddingID
			if a-1 >= len(item.Categories) {
				continue
			}
			c := item.Categories[a-1]
			if c < 0 || int(c) >= len(ds.Categories) {
				return attributeTable{}, fmt.Errorf("mai: item %d (key %q) has category %d at level %d, outside [0, %d)",
					i, item.Key, c, a-1, len(ds.Categories))
			}
			row[a] = c
		}
	}
	return t, nil
}

// lookup returns the values of attribute a for the given items; padding stays padding.
func (t attributeTable) lookup(items []int32, a int) []int32 {
	out := make([]int32, len(items))
	for i, item := range items {
		out[i] = nn.PaddingID
		if item != nn.PaddingID {
			out[i] = t.values[int(item)*t.count+a]
		}
	}
	return out
}

// concentration returns c_a for one history: the share of the listed items (padding skipped)
// whose attribute-a value equals the most frequent value among them. Items without a value for
// the attribute count in the denominator only. It is 0 for an empty history.
func (t attributeTable) concentration(items []int32, a int) float32 {
	counts := make(map[int32]int)
	total, best := 0, 0
	for _, item := range items {
		if item == nn.PaddingID {
			continue
		}
		total++
		v := t.values[int(item)*t.count+a]
		if v == nn.PaddingID {
			continue
		}
		counts[v]++
		best = max(best, counts[v])
	}
	if total == 0 {
		return 0
	}
	return float32(best) / float32(total)
}
