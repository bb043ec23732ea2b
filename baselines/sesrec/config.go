package sesrec

import (
	"fmt"

	"github.com/srbench/srbench/baselines/internal/joint"
)

// Config holds SESRec's hyperparameters. DefaultConfig gives the values of the authors' public
// code (github.com/Ethan00Si/SESREC-SIGIR-2023: config/SESRec_commercial.yaml and
// models/SESRec.py) where it sets them.
type Config struct {
	// Features sets the user, item and query embeddings (sub-table "features").
	Features joint.FeatureConfig `toml:"features" json:"features"`
	// Heads, Layers and FFN configure the recommendation and search history transformers.
	Heads  int `toml:"heads" json:"heads"`
	Layers int `toml:"layers" json:"layers"`
	FFN    int `toml:"ffn" json:"ffn"`
	// Dropout applies in the transformers and the prediction MLPs.
	Dropout float32 `toml:"dropout" json:"dropout"`
	// QueryItemWeight and QueryItemTemp are the weight of the query–item InfoNCE loss and the
	// initial value of its learnable temperature.
	QueryItemWeight float32 `toml:"query_item_weight" json:"query_item_weight"`
	QueryItemTemp   float32 `toml:"query_item_temp" json:"query_item_temp"`
	// QueryItemNegatives is the number of random items and queries drawn per step as its
	// negatives; QueryItemPairs caps the distinct history pairs per batch (0 keeps all).
	QueryItemNegatives int `toml:"query_item_negatives" json:"query_item_negatives"`
	QueryItemPairs     int `toml:"query_item_pairs" json:"query_item_pairs"`
	// TripletWeight and TripletMargin are the weight and margin of the interest triplet loss.
	TripletWeight float32 `toml:"triplet_weight" json:"triplet_weight"`
	TripletMargin float32 `toml:"triplet_margin" json:"triplet_margin"`
	// Head lists the hidden widths of each task's prediction MLP, whose last layer maps to one
	// logit.
	Head []int `toml:"head" json:"head"`
	// SearchLossWeight multiplies the search batch's loss in each step.
	SearchLossWeight float32 `toml:"search_loss_weight" json:"search_loss_weight"`
}

// DefaultConfig returns SESRec's settings: a 1-layer transformer with 2 heads and feed-forward
// width equal to d (num_blocks, num_heads, inner_size = hidden_size), dropout 0.1, InfoNCE
// weight 0.1 at τ = 0.1 with 1024 negatives, triplet weight 0.001 with margin 0.1, and an MLP
// [200, 80, 1] (SESRec_commercial.yaml). Embeddings are UniSAR's (joint.UniSARFeatures), so
// that the joint baselines share one input layer. SESRec's own code trains recommendation only;
// the search loss weight 0.1 is the one UniSAR's runner uses for every joint model on KuaiSAR.
// QueryItemPairs is 1024, a CPU budget of this harness (see joint.HistoryPairs).
func DefaultConfig() Config {
	return Config{
		Features: joint.UniSARFeatures(),
		Heads:    2, Layers: 1, FFN: 64,
		Dropout:         0.1,
		QueryItemWeight: 0.1, QueryItemTemp: 0.1,
		QueryItemNegatives: 1024, QueryItemPairs: 1024,
		TripletWeight: 0.001, TripletMargin: 0.1,
		Head:             []int{200, 80},
		SearchLossWeight: 0.1,
	}
}

// Validate returns an error naming each invalid field with its value.
func (c Config) Validate() error {
	var errs []string
	check := func(ok bool, field string, value any, want string) {
		if !ok {
			errs = append(errs, fmt.Sprintf("%s = %v (want %s)", field, value, want))
		}
	}
	d := c.Features.Dim
	check(d > 0 && c.Heads > 0 && d%c.Heads == 0, "heads", c.Heads, fmt.Sprintf("a positive divisor of dim %d", d))
	check(c.Layers > 0, "layers", c.Layers, "at least 1")
	check(c.FFN > 0, "ffn", c.FFN, "at least 1")
	check(c.Dropout >= 0 && c.Dropout < 1, "dropout", c.Dropout, "in [0, 1)")
	check(c.QueryItemWeight >= 0, "query_item_weight", c.QueryItemWeight, "at least 0")
	check(c.QueryItemTemp > 0, "query_item_temp", c.QueryItemTemp, "above 0")
	check(c.QueryItemNegatives > 0, "query_item_negatives", c.QueryItemNegatives, "at least 1")
	check(c.QueryItemPairs >= 0, "query_item_pairs", c.QueryItemPairs, "at least 0")
	check(c.TripletWeight >= 0, "triplet_weight", c.TripletWeight, "at least 0")
	check(c.TripletMargin >= 0, "triplet_margin", c.TripletMargin, "at least 0")
	check(c.SearchLossWeight >= 0, "search_loss_weight", c.SearchLossWeight, "at least 0")
	if len(errs) > 0 {
		return fmt.Errorf("sesrec: invalid config: %v", errs)
	}
	return nil
}
