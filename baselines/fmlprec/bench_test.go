package fmlprec

import (
	"testing"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// benchStep measures one training step's forward and backward pass on size rows of the tiny
// preset's training samples.
func benchStep(b *testing.B, size int) {
	data := loadTiny(b)
	m, err := New(data, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	samples := data.Tasks[0].Train
	indices := make([]int, size)
	for i := range indices {
		indices[i] = i % len(samples)
	}
	batch := prep.NewBatchBuilder(data, size).BuildTrain(samples, indices, 0)
	tape := nn.NewTape(1)
	tape.Train = true
	b.ResetTimer()
	for range b.N {
		tape.Reset()
		loss, _, err := m.Loss(tape, batch, nil)
		if err != nil {
			b.Fatal(err)
		}
		tape.Backward(loss)
	}
}

func BenchmarkStep128(b *testing.B)  { benchStep(b, 128) }
func BenchmarkStep1024(b *testing.B) { benchStep(b, 1024) }
