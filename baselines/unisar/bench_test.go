package unisar

import (
	"testing"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/nn"
)

// benchBatches returns one training batch of each task from the default preset, with rows
// recRows and srcRows (the trainer's split of a 1024-row step is 1024 and 551).
func benchBatches(b *testing.B, recRows, srcRows int) (*prep.Prepared, [2]*prep.Batch) {
	b.Helper()
	data, err := generate(synthetic.SizeDefault, 0, prep.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	var batches [2]*prep.Batch
	for k, n := range []int{recRows, srcRows} {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i * 97 % len(data.Tasks[k].Train)
		}
		batches[k] = prep.NewBatchBuilder(data, n).BuildTrain(data.Tasks[k].Train, idx, 0)
	}
	return data, batches
}

// BenchmarkStep times the forward and backward pass of one training step with the default
// configuration on one tape: 512 recommendation and 276 search rows, one of two workers'
// shares of a 1024-row step.
func BenchmarkStep(b *testing.B) {
	data, batches := benchBatches(b, 512, 276)
	m, err := New(data, DefaultConfig(), 1)
	if err != nil {
		b.Fatal(err)
	}
	tape := nn.NewTape(1)
	tape.Train = true
	b.ReportAllocs()
	for b.Loop() {
		tape.Reset()
		loss, _, err := m.Loss(tape, batches[0], batches[1])
		if err != nil {
			b.Fatal(err)
		}
		tape.Backward(loss)
	}
}

// BenchmarkScore times scoring 128 test cases of 100 candidates each.
func BenchmarkScore(b *testing.B) {
	data, err := generate(synthetic.SizeDefault, 0, prep.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(data, DefaultConfig(), 1)
	if err != nil {
		b.Fatal(err)
	}
	const rows = 128
	samples := data.Tasks[0].Test[:rows]
	batch := prep.NewBatchBuilder(data, rows).Build(samples, nil)
	candidates := make([][]int32, rows)
	scores := make([][]float32, rows)
	for i := range candidates {
		candidates[i] = data.Candidates(0, prep.Test, i)
		scores[i] = make([]float32, len(candidates[i]))
	}
	tape := nn.NewTape(1)
	b.ReportAllocs()
	for b.Loop() {
		tape.Reset()
		if err := m.Score(tape, batch, candidates, scores); err != nil {
			b.Fatal(err)
		}
	}
}
