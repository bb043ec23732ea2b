package train

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkEpoch runs Train for one epoch of the test model (dimension 32) on the tiny preset,
// with 1 and 2 workers. One iteration is 13 steps of 1,024 rec and about 552 search positives,
// then the validation and test rankings of 299 cases per task.
func BenchmarkEpoch(b *testing.B) {
	data, err := tinyData()
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := smallConfig()
			cfg.Epochs = 1
			cfg.Workers = workers
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Train(context.Background(), newDotModel(data, 32, 1), data, cfg, quietOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
