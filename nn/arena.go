package nn

import "math/bits"

// pool hands out zeroed slices and takes all of them back at once. Slices are allocated in size
// classes (classSize) and kept on free lists by class. After a training step has run once, the
// next step of the same shapes allocates nothing. A step whose shapes vary a little (packed
// sequences, a short last batch) mostly finds a buffer of its class.
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
	s := p.getDirty(n)
	clear(s)
	return s
}

// getDirty returns a slice of length n like get, but possibly holding old values, for callers
// that overwrite every element before reading any.
func (p *pool[T]) getDirty(n int) []T {
	if n == 0 {
		return nil
	}
	c := classSize(n)
	if s, ok := pop(p.released, c); ok {
		return s[:n]
	}
	s, ok := pop(p.free, c)
	if !ok {
		s = make([]T, c)
	}
	p.used = append(p.used, s)
	return s[:n]
}

// classSize returns the capacity allocated for a request of n elements: n itself up to 16,
// else the smallest m·2^e ≥ n with 8 ≤ m ≤ 16, which wastes at most 12.5%.
func classSize(n int) int {
	if n <= 16 {
		return n
	}
	e := bits.Len(uint(n-1)) - 4
	return ((n-1)>>e + 1) << e
}

// release makes s, which get returned since the last recycle, available to the next get of
// its size class. The caller must not use s afterwards.
func (p *pool[T]) release(s []T) {
	if len(s) == 0 {
		return
	}
	if p.released == nil {
		p.released = make(map[int][][]T)
	}
	p.released[cap(s)] = append(p.released[cap(s)], s[:cap(s)])
}

// pop removes and returns the last slice of capacity class n from lists.
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
		p.free[cap(s)] = append(p.free[cap(s)], s)
		p.used[i] = nil
	}
	p.used = p.used[:0]
}
