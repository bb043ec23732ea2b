package dhim

import (
	"fmt"
	"testing"

	"github.com/srbench/srbench/nn"
)

// BenchmarkTrainStep measures one forward and backward pass of the default-size model (d = 64)
// on n recommendation and n search training rows of the tiny synthetic preset, on one tape. A
// warm-up step before the timed loop fills the tape's buffer pool, so the loop measures the
// steady state of a training run, which allocates almost nothing.
func BenchmarkTrainStep(b *testing.B) {
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			m, err := New(data(b), DefaultOptions(), 1)
			if err != nil {
				b.Fatal(err)
			}
			rec, search := trainBatches(b, n)
			tape := nn.NewTape(1)
			tape.Train = true
			step := func() {
				tape.Reset()
				loss := lossOn(b, m, tape, rec, search)
				tape.Backward(loss)
				nn.ReduceGrads([]*nn.Tape{tape}, m.Params())
			}
			step()
			for b.Loop() {
				step()
			}
		})
	}
}

// BenchmarkScore measures scoring 100 candidates for each of 64 test cases.
func BenchmarkScore(b *testing.B) {
	m, err := New(data(b), DefaultOptions(), 1)
	if err != nil {
		b.Fatal(err)
	}
	p := data(b)
	rows := make([]int, 64)
	for i := range rows {
		rows[i] = i
	}
	batch := newBuilder(p, len(rows)).Build(p.Tasks[0].Test, rows)
	cands := make([][]int32, len(rows))
	scores := make([][]float32, len(rows))
	for i := range rows {
		cands[i] = p.Candidates(0, 2, i)
		scores[i] = make([]float32, len(cands[i]))
	}
	tape := nn.NewTape(1)
	for b.Loop() {
		tape.Reset()
		if err := m.Score(tape, batch, cands, scores); err != nil {
			b.Fatal(err)
		}
	}
}
