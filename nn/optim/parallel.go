package optim

import "sync"

// minChunkElems is the least number of scalars worth handing to a goroutine; below it the
// cost of starting one exceeds the update it would share.
const minChunkElems = 1 << 15

// parallelChunks splits [0, n) into at most workers contiguous ranges of items, each of
// elemsPerItem scalars, and calls fn on each range, concurrently when there is more than one.
// It returns after every call has returned.
func parallelChunks(n, elemsPerItem, workers int, fn func(lo, hi int)) {
	workers = min(workers, n*max(elemsPerItem, 1)/minChunkElems)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
