package layer

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// referenceConfig is the reference step's model: d = 64, a 100,000-row item table, one
// transformer layer with 2 heads and feed-forward width 256, dropout 0.1, as in
// bench/peer/reference_step.py.
var referenceConfig = refConfig{items: 100_000, dim: 64, heads: 2, feedForward: 256, dropout: 0.1, embedStd: 0.01}

// Reference batch shape: 256 users with full histories of 30 items.
const (
	referenceBatch   = 256
	referenceHistory = 30
)

// randomBatch returns a batch of n rows with full histories of l random items, random targets
// and random labels.
func randomBatch(n, l, items int, seed uint64) *refBatch {
	rng := newRNG(seed)
	b := &refBatch{history: make([]int32, n*l), target: make([]int32, n), labels: make([]float32, n), l: l}
	for i := range b.history {
		b.history[i] = int32(rng.IntN(items))
	}
	for i := range n {
		b.target[i] = int32(rng.IntN(items))
		b.labels[i] = float32(rng.IntN(2))
	}
	return b
}

// BenchmarkReferenceStep times one training step of the reference model (forward, backward,
// gradient reduction and a lazy-Adam update with a row-sparse embedding table) with the
// batch split over 1 or 2 tapes on as many goroutines. It reports the process's CPU seconds
// per step and its peak resident set size (VmHWM) in MB. The backend is DefaultBackend: gonum, or OpenBLAS under -tags
// openblas.
func BenchmarkReferenceStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("%s/workers=%d", nn.DefaultBackend().Name(), workers), func(b *testing.B) {
			benchmarkStep(b, workers)
		})
	}
}

func benchmarkStep(b *testing.B, workers int) {
	model := newRefModel(referenceConfig, newRNG(1))
	params := model.Params()
	adam, err := optim.NewAdam(params, optim.DefaultAdamConfig())
	if err != nil {
		b.Fatal(err)
	}

	tapes := make([]*nn.Tape, workers)
	for i := range tapes {
		tapes[i] = nn.NewTape(uint64(100 + i))
		tapes[i].Train = true
	}

	batches := make([]*refBatch, 8)
	for i := range batches {
		batches[i] = randomBatch(referenceBatch, referenceHistory, referenceConfig.items, uint64(10+i))
	}

	step := func(i int) {
		batch := batches[i%len(batches)]
		_, err := nn.ParallelStep(tapes, params, referenceBatch, func(t *nn.Tape, lo, hi int) (*nn.Var, error) {
			return model.loss(t, batch, lo, hi), nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := adam.Step(); err != nil {
			b.Fatal(err)
		}
	}

	step(0) // the first step allocates the tapes' buffers and Adam's moments
	cpuStart, cpuErr := cpuTime()
	i := 1
	for b.Loop() {
		step(i)
		i++
	}

	if cpuEnd, err := cpuTime(); err == nil && cpuErr == nil {
		b.ReportMetric((cpuEnd-cpuStart).Seconds()/float64(b.N), "cpu-s/op")
	}
	if hwm, err := peakRSS(); err == nil {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	} else {
		b.Log(err)
	}
}

// cpuTime returns the user and system CPU time the process has used, over all its threads.
// On a machine shared with other work it measures the step's own cost better than wall-clock
// time, which includes waiting for a core.
func cpuTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("reading CPU time: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// peakRSS returns the process's peak resident set size in bytes, read from VmHWM in
// /proc/self/status (Linux only).
func peakRSS() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("reading peak RSS: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && fields[0] == "VmHWM:" && fields[2] == "kB" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing VmHWM %q: %w", fields[1], err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading /proc/self/status: %w", err)
	}
	return 0, fmt.Errorf("no VmHWM line in /proc/self/status")
}
