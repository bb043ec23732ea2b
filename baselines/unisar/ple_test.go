package unisar

import (
	"math"
	"testing"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
)

// TestFactoredPLEMatches compares taskExperts with layer.PLE.Forward on the concatenated
// input, for both tasks, in evaluation mode. Tolerance: 1e-5 absolute (float32 rounding of
// the split sums).
func TestFactoredPLEMatches(t *testing.T) {
	data := tinyData(t)
	m, err := New(data, smallConfig(), 4)
	if err != nil {
		t.Fatal(err)
	}
	batch := prep.NewBatchBuilder(data, 6).BuildTrain(data.Tasks[1].Train, []int{0, 5, 9, 40, 77, 120}, 0)
	tape := nn.NewTape(1)
	enc := m.encode(tape, batch, joint.TrainItems(batch), 1+batch.NegativeWidth, nil, nil)
	in := m.pleInput(tape, enc)
	d := m.cfg.Features.Dim
	concat := nn.Concat(-1, in.perCandidate, nn.Gather(in.items, in.itemRows), nn.Gather(in.perRow, in.rowOwners))
	if got := concat.Shape()[1]; got != 5*d {
		t.Fatalf("concatenated input width %d, want %d", got, 5*d)
	}
	reference := m.ple.Forward(concat)
	for k := range 2 {
		got, want := m.taskExperts(tape, k, in).Data(), reference[k].Data()
		if len(got) != len(want) {
			t.Fatalf("task %d: %d outputs, want %d", k, len(got), len(want))
		}
		for i := range got {
			if math.Abs(float64(got[i]-want[i])) > 1e-5 {
				t.Errorf("task %d output %d = %v, layer.PLE gives %v", k, i, got[i], want[i])
			}
		}
	}
}
