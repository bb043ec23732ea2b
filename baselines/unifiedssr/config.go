package unifiedssr

import "fmt"

// Config holds UnifiedSSR's hyperparameters. DefaultConfig gives the values of the authors'
// public code (github.com/JennyXieJiayi/UnifiedSSR: utils/parser.py, model.py, modules.py)
// except the width, which follows the harness's common d = 64.
type Config struct {
	// Dim is the embedding width and FFN the feed-forward width of each encoder layer.
	Dim int `toml:"dim" json:"dim"`
	FFN int `toml:"ffn" json:"ffn"`
	// Heads and Layers configure the Siamese encoder shared by both branches.
	Heads  int `toml:"heads" json:"heads"`
	Layers int `toml:"layers" json:"layers"`
	// Dropout applies to the embeddings, after each sub-layer and inside the feed-forward block;
	// AttentionDropout applies to the attention weights.
	Dropout          float32 `toml:"dropout" json:"dropout"`
	AttentionDropout float32 `toml:"attention_dropout" json:"attention_dropout"`
	// Sessions is the number of sub-sequences (sessions) the session module cuts each encoded
	// sequence into, and CorrWeight the weight of its correlation loss.
	Sessions   int     `toml:"sessions" json:"sessions"`
	CorrWeight float32 `toml:"corr_weight" json:"corr_weight"`
	// SearchLossWeight multiplies the search batch's loss in each step.
	SearchLossWeight float32 `toml:"search_loss_weight" json:"search_loss_weight"`
}

// DefaultConfig returns UnifiedSSR's settings: 2 encoder layers with 4 heads, feed-forward
// width 2·d, dropout 0.5 with attention dropout 0.1, 2 sessions and correlation weight 0.1
// (parser.py and modules.py). The width is 64 instead of the reference's 32, so that every
// model of the comparison has d = 64. The two tasks' losses have equal weight, as in the
// reference's pretraining, which alternates one-task batches without weights.
func DefaultConfig() Config {
	return Config{Dim: 64, FFN: 128, Heads: 4, Layers: 2, Dropout: 0.5, AttentionDropout: 0.1,
		Sessions: 2, CorrWeight: 0.1, SearchLossWeight: 1}
}

// Validate returns an error naming each invalid field with its value.
func (c Config) Validate() error {
	var errs []string
	check := func(ok bool, field string, value any, want string) {
		if !ok {
			errs = append(errs, fmt.Sprintf("%s = %v (want %s)", field, value, want))
		}
	}
	check(c.Dim > 0 && c.Heads > 0 && c.Dim%c.Heads == 0, "dim, heads", [2]int{c.Dim, c.Heads}, "positive, heads dividing dim")
	check(c.FFN > 0, "ffn", c.FFN, "at least 1")
	check(c.Layers > 0, "layers", c.Layers, "at least 1")
	check(c.Dropout >= 0 && c.Dropout < 1, "dropout", c.Dropout, "in [0, 1)")
	check(c.AttentionDropout >= 0 && c.AttentionDropout < 1, "attention_dropout", c.AttentionDropout, "in [0, 1)")
	check(c.Sessions >= 1, "sessions", c.Sessions, "at least 1")
	check(c.CorrWeight >= 0, "corr_weight", c.CorrWeight, "at least 0")
	check(c.SearchLossWeight >= 0, "search_loss_weight", c.SearchLossWeight, "at least 0")
	if len(errs) > 0 {
		return fmt.Errorf("unifiedssr: invalid config: %v", errs)
	}
	return nil
}
