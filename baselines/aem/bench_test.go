package aem

import (
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// BenchmarkLossStep times one forward and backward pass of the loss on 1024 search samples of
// the tiny preset (1024 positives with 4 negatives each) with the default options, on one tape.
func BenchmarkLossStep(b *testing.B) {
	data := loadTiny(b)
	m, err := New("aem", data, DefaultOptions(), 1)
	if err != nil {
		b.Fatal(err)
	}
	samples := data.Tasks[datasets.Search].Train
	indices := make([]int, 1024)
	for i := range indices {
		indices[i] = i
	}
	batch := prep.NewBatchBuilder(data, len(indices)).BuildTrain(samples, indices, 1)
	tape := nn.NewTape(1)
	tape.Train = true
	b.ResetTimer()
	for b.Loop() {
		tape.Reset()
		loss, _, err := m.Loss(tape, nil, batch)
		if err != nil {
			b.Fatal(err)
		}
		tape.Backward(loss)
	}
}
