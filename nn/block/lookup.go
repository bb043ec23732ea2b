package block

import "github.com/srbench/srbench/nn"

// Lookup lists the distinct ids of one batch, so that an item or query that occurs many times
// (in overlapping histories, as a candidate and as a click) is embedded once and then gathered.
type Lookup struct {
	// IDs holds the distinct ids in order of first use.
	IDs   []int32
	index map[int32]int32
}

// NewLookup returns an empty Lookup.
func NewLookup() *Lookup { return &Lookup{index: make(map[int32]int32)} }

// Add returns the row of id in IDs, adding it on first use. A negative id (padding) returns
// nn.PaddingID.
func (l *Lookup) Add(id int32) int32 {
	if id < 0 {
		return nn.PaddingID
	}
	if r, ok := l.index[id]; ok {
		return r
	}
	r := int32(len(l.IDs))
	l.IDs = append(l.IDs, id)
	l.index[id] = r
	return r
}

// AddAll returns the rows of ids (see Add) as a new slice.
func (l *Lookup) AddAll(ids []int32) []int32 {
	rows := make([]int32, len(ids))
	for i, id := range ids {
		rows[i] = l.Add(id)
	}
	return rows
}
