package optim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/nn"
)

func TestCountParams(t *testing.T) {
	params := []*nn.Param{
		newParam("rec_encoder.layers.0.weight", []int{4, 3}, nil),
		newParam("rec_encoder.layers.0.bias", []int{3}, nil),
		newParam("rec_encoder.norm.weight", []int{3}, nil),
		newParam("item_emb", []int{10, 2}, nil),
		nil,
	}
	if got := CountParams(params); got != 12+3+3+20 {
		t.Errorf("CountParams = %d, want 38", got)
	}
	cases := []struct {
		depth int
		want  []PrefixCount
	}{
		{1, []PrefixCount{{"item_emb", 1, 20}, {"rec_encoder", 3, 18}}},
		{0, []PrefixCount{{"item_emb", 1, 20}, {"rec_encoder", 3, 18}}},
		{2, []PrefixCount{{"item_emb", 1, 20}, {"rec_encoder.layers", 2, 15}, {"rec_encoder.norm", 1, 3}}},
		{9, []PrefixCount{
			{"item_emb", 1, 20},
			{"rec_encoder.layers.0.bias", 1, 3},
			{"rec_encoder.layers.0.weight", 1, 12},
			{"rec_encoder.norm.weight", 1, 3},
		}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, CountByPrefix(params, c.depth)); diff != "" {
			t.Errorf("CountByPrefix depth %d (-want +got):\n%s", c.depth, diff)
		}
	}
}
