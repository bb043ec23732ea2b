package protocol_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/experiments/protocol"
)

// A scorer that gives every candidate the same score looks perfect when the positive stays
// first and wins ties, and scores chance level under the protocol.
func ExampleRank() {
	cases := make([]protocol.Case, 1000)
	for i := range cases {
		items := make([]int32, 100)
		for j := range items {
			items[j] = int32(100*i + j)
		}
		cases[i] = protocol.Case{Task: datasets.Rec, ID: int64(i), Candidates: items}
	}
	constant := protocol.ScorerFunc(func(batch []protocol.Case, scores [][]float32) error {
		for i := range batch {
			for j := range scores[i] {
				scores[i][j] = 1
			}
		}
		return nil
	})

	for _, order := range []protocol.CandidateOrder{protocol.InputOrder, protocol.Shuffled} {
		cfg := protocol.Config{Seed: 1, Order: order, Logger: slog.New(slog.DiscardHandler)}
		res, err := protocol.Rank(context.Background(), cases, constant, cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		rec := res.Scopes[protocol.ScopeRec]
		fmt.Printf("%s: hr@10 %.3f, tie-averaged hr@10 %.3f\n", order, rec.Randomized["hr@10"], rec.TieAveraged["hr@10"])
	}

	// Output:
	// input-order: hr@10 1.000, tie-averaged hr@10 0.100
	// shuffled: hr@10 0.109, tie-averaged hr@10 0.100
}
