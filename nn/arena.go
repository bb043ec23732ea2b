package nn

// pool hands out zeroed slices keyed by length and takes all of them back at once. After a
// training step has run once, the next identical step finds every length it needs on a free
// list and allocates nothing.
type pool[T any] struct {
	free map[int][][]T
	used [][]T
}

// get returns a zeroed slice of length n that stays reserved until recycle.
func (p *pool[T]) get(n int) []T {
	if n == 0 {
		return nil
	}
	var s []T
	if list := p.free[n]; len(list) > 0 {
		s = list[len(list)-1]
		list[len(list)-1] = nil
		p.free[n] = list[:len(list)-1]
		clear(s)
	} else {
		s = make([]T, n)
	}
	p.used = append(p.used, s)
	return s
}

// recycle returns every slice handed out since the last recycle to the free lists.
func (p *pool[T]) recycle() {
	if p.free == nil {
		p.free = make(map[int][][]T)
	}
	for i, s := range p.used {
		p.free[len(s)] = append(p.free[len(s)], s)
		p.used[i] = nil
	}
	p.used = p.used[:0]
}
