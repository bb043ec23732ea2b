package cache

import (
	"bytes"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the decoder: it must return an error or a valid Prepared,
// never panic or allocate beyond the input's size. The seed corpus in testdata/fuzz/FuzzRead
// holds a valid file of the hand dataset and damaged copies of it; go test runs them as
// regression cases.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(bytes.NewReader(data), int64(len(data)), testKey)
		if err == nil && p.Dataset == nil {
			t.Fatal("nil error but no dataset")
		}
	})
}
