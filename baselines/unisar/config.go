package unisar

import (
	"fmt"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/nn/block"
)

// Config holds UniSAR's hyperparameters. DefaultConfig gives the values of the authors' public
// code (github.com/TengShi-RUC/UniSAR: config/UniSAR_KuaiSAR.yaml, models/UniSAR.py,
// utils/const.py and utils/Runner.py).
type Config struct {
	// Features sets the user, item and query embeddings (sub-table "features").
	Features joint.FeatureConfig `toml:"features" json:"features"`
	// Heads, Layers and FFN configure the three encoders and two cross-attention decoders of
	// the behaviour fusion.
	Heads  int `toml:"heads" json:"heads"`
	Layers int `toml:"layers" json:"layers"`
	FFN    int `toml:"ffn" json:"ffn"`
	// Dropout applies in the transformers, PLE experts, towers and heads.
	Dropout float32 `toml:"dropout" json:"dropout"`
	// AlignWeight and AlignTemp are the weight of the transition alignment loss (his_cl_weight)
	// and the initial value of its learnable temperature (his_cl_temp).
	AlignWeight float32 `toml:"align_weight" json:"align_weight"`
	AlignTemp   float32 `toml:"align_temp" json:"align_temp"`
	// QueryItemWeight and QueryItemTemp are the weight of the query–item contrastive loss
	// (q_i_cl_weight) and the initial value of its temperature (q_i_cl_temp).
	QueryItemWeight float32 `toml:"query_item_weight" json:"query_item_weight"`
	QueryItemTemp   float32 `toml:"query_item_temp" json:"query_item_temp"`
	// QueryItemNegatives is the number of random items and queries drawn per step as the
	// query–item loss's negatives (infoNCE_neg_sample).
	QueryItemNegatives int `toml:"query_item_negatives" json:"query_item_negatives"`
	// QueryItemPairs caps the distinct (query, clicked item) history pairs per batch in the
	// query–item loss; 0 keeps all.
	QueryItemPairs int `toml:"query_item_pairs" json:"query_item_pairs"`
	// SharedExperts and TaskExperts are PLE's expert counts; ExpertHidden the widths of each
	// expert, Tower the widths of each task tower after PLE, and Head the hidden widths of each
	// task's output MLP, whose last layer maps to one logit.
	SharedExperts int   `toml:"shared_experts" json:"shared_experts"`
	TaskExperts   int   `toml:"task_experts" json:"task_experts"`
	ExpertHidden  []int `toml:"expert_hidden" json:"expert_hidden"`
	Tower         []int `toml:"tower" json:"tower"`
	Head          []int `toml:"head" json:"head"`
	// SearchLossWeight multiplies the search batch's loss in each step (src_loss_weight).
	SearchLossWeight float32 `toml:"search_loss_weight" json:"search_loss_weight"`
}

// DefaultConfig returns UniSAR's settings for KuaiSAR from its public code: d = 64, 1-layer
// transformers with 2 heads and feed-forward width 64, dropout 0.1 (UniSAR.py, BaseModel.py);
// alignment weight 0.1 at τ = 0.1, query–item weight 0.001 at τ = 0.5 with 1024 negatives
// (UniSAR_KuaiSAR.yaml, Runner.py); PLE with 4 shared and 4 task experts of width [64], towers
// [128, 64] and heads [200, 80, 1] (UniSAR.py); search loss weight 0.1 (UniSAR_KuaiSAR.yaml).
// QueryItemPairs is 1024, a CPU budget of this harness (see joint.HistoryPairs).
func DefaultConfig() Config {
	return Config{
		Features: joint.UniSARFeatures(),
		Heads:    2, Layers: 1, FFN: 64,
		Dropout:     0.1,
		AlignWeight: 0.1, AlignTemp: 0.1,
		QueryItemWeight: 0.001, QueryItemTemp: 0.5,
		QueryItemNegatives: 1024,
		QueryItemPairs:     1024,
		SharedExperts:      4, TaskExperts: 4,
		ExpertHidden:     []int{64},
		Tower:            []int{128, 64},
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
	check(c.AlignWeight >= 0, "align_weight", c.AlignWeight, "at least 0")
	check(c.AlignTemp > 0, "align_temp", c.AlignTemp, "above 0")
	check(c.QueryItemWeight >= 0, "query_item_weight", c.QueryItemWeight, "at least 0")
	check(c.QueryItemTemp > 0, "query_item_temp", c.QueryItemTemp, "above 0")
	check(c.QueryItemNegatives > 0, "query_item_negatives", c.QueryItemNegatives, "at least 1")
	check(c.QueryItemPairs >= 0, "query_item_pairs", c.QueryItemPairs, "at least 0")
	check(c.SharedExperts >= 0 && c.TaskExperts >= 0 && c.SharedExperts+c.TaskExperts > 0, "shared_experts, task_experts",
		[2]int{c.SharedExperts, c.TaskExperts}, "non-negative with a positive sum")
	check(len(c.ExpertHidden) > 0 && len(c.Tower) > 0, "expert_hidden, tower", [2][]int{c.ExpertHidden, c.Tower}, "at least one width each")
	check(c.SearchLossWeight >= 0, "search_loss_weight", c.SearchLossWeight, "at least 0")
	if len(errs) > 0 {
		return fmt.Errorf("unisar: invalid config: %v", errs)
	}
	return nil
}

// fusionConfig returns the behaviour-fusion settings for history widths recLen and srcLen.
func (c Config) fusionConfig(recLen, srcLen int) block.FusionConfig {
	return block.FusionConfig{Dim: c.Features.Dim, Heads: c.Heads, Layers: c.Layers, FFN: c.FFN, Dropout: c.Dropout,
		RecLen: recLen, SearchLen: srcLen, AlignTemp: c.AlignTemp}
}
