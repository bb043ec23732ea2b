package block

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/srbench/srbench/nn"
)

func TestLookupRows(t *testing.T) {
	l := NewLookup()
	got := l.AddAll([]int32{5, -1, 5, 2})
	if diff := cmp.Diff([]int32{0, nn.PaddingID, 0, 1}, got); diff != "" {
		t.Errorf("AddAll rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{5, 2}, l.IDs); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
}
