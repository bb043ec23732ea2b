package nn

// pool hands out zeroed slices keyed by length and takes all of them back at once. After a
// training step has run once, the next identical step finds every length it needs on a free
// list and allocates nothing.
//
// A slice may also be released early, while the step is still running (Backward releases each
// intermediate gradient once its node has consumed it). A released slice stays on the used list
// and goes to the next get of its length, so one step reuses its own gradient buffers.
type pool[T any] struct {
	free     map[int][][]T
	released map[int][][]T // released early: still listed in used and free to hand out again
	used     [][]T
}

// get returns a zeroed slice of length n that stays reserved until recycle or release.
func (p *pool[T]) get(n int) []T {
	if n == 0 {
		return nil
	}
	if s, ok := pop(p.released, n); ok {
		clear(s)
		return s
	}
	s, ok := pop(p.free, n)
	if ok {
		clear(s)
	} else {
		s = make([]T, n)
	}
	p.used = append(p.used, s)
	return s
}

// getDirty returns a slice of length n like get, but possibly holding old values, for callers
// that overwrite every element before reading any.
func (p *pool[T]) getDirty(n int) []T {
	if n == 0 {
		return nil
	}
	if s, ok := pop(p.released, n); ok {
		return s
	}
	s, ok := pop(p.free, n)
	if !ok {
		s = make([]T, n)
	}
	p.used = append(p.used, s)
	return s
}

// release makes s, which get returned since the last recycle, available to the next get of
// its length. The caller must not use s afterwards.
func (p *pool[T]) release(s []T) {
	if len(s) == 0 {
		return
	}
	if p.released == nil {
		p.released = make(map[int][][]T)
	}
	p.released[len(s)] = append(p.released[len(s)], s)
}

// pop removes and returns the last slice of length n from lists.
func pop[T any](lists map[int][][]T, n int) ([]T, bool) {
	list := lists[n]
	if len(list) == 0 {
		return nil, false
	}
	s := list[len(list)-1]
	list[len(list)-1] = nil
	lists[n] = list[:len(list)-1]
	return s, true
}

// recycle returns every slice handed out since the last recycle to the free lists.
func (p *pool[T]) recycle() {
	if p.free == nil {
		p.free = make(map[int][][]T)
	}
	for n, list := range p.released {
		clear(list)
		p.released[n] = list[:0]
	}
	for i, s := range p.used {
		p.free[len(s)] = append(p.free[len(s)], s)
		p.used[i] = nil
	}
	p.used = p.used[:0]
}
