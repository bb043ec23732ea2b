package dhim

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// In this file "the paper" is Zhu et al., "Dual-Horizon Interest Model for Unified Search and
// Recommendation", AAAI 2026; equation numbers are that paper's.

// Readings of equations that the DHIM paper states inconsistently; each is an Options value.
const (
	// ConSplitIntra reads eq. 18 as L_con = L_intra^r + L_intra^s + γ·L_inter: each scenario's
	// intra-scenario triplets count once and the inter-scenario ones are weighted by γ.
	ConSplitIntra = "intra-plus-gamma-inter"
	// ConLiteral takes eq. 18 as printed, L_con = L_intra + L_inter + γ·L_inter, with
	// L_intra = L_intra^r + L_intra^s.
	ConLiteral = "literal"

	// ProxyEmbedding builds the intra-scenario proxies p_ℓ, p_s from the behaviour embeddings
	// E_t, before the behaviour-fusion block.
	ProxyEmbedding = "embedding"
	// ProxyFused builds them from the fused behaviour representations H_t.
	ProxyFused = "fused"

	// GateScalar makes each cross-scenario fusion gate output one weight per user.
	GateScalar = "scalar"
	// GateVector makes it output one weight per dimension.
	GateVector = "vector"

	// AuxEachBatch computes L_Align, L_con and L_Q on both the recommendation and the search
	// batch, so that L^R and L^S of eq. 22 each carry their own auxiliary terms (as UniSAR's
	// rec_loss and src_loss both do).
	AuxEachBatch = "each-batch"
	// AuxRecBatch computes them on the recommendation batch only.
	AuxRecBatch = "rec-batch"
)

// Options holds every hyperparameter and ablation switch of DHIM. Keys are flat snake_case for
// experiment files. Start from DefaultOptions (or a Preset) and override fields, because zero
// values are not replaced by defaults.
type Options struct {
	// Dim is the embedding and hidden size d (64 in the paper).
	Dim int `toml:"dim"`
	// Inputs is InputsFeatures (default) or InputsIDs: how users, items and queries are
	// embedded before the model proper; see those constants. The paper states only that raw
	// inputs are embedded. The default gives DHIM the inputs of UniSAR's public code, on which
	// DHIM builds and which the joint baselines use, so that a comparison differs only in the
	// model.
	Inputs string `toml:"inputs"`
	// FieldDim and CategoryLevels set InputsFeatures: the width of each field embedding (32 in
	// UniSAR's code) and the number of category levels, coarsest first, that join the item id
	// (2 in UniSAR's code for KuaiSAR).
	FieldDim       int `toml:"field_dim"`
	CategoryLevels int `toml:"category_levels"`
	// EmbedStd is the standard deviation of the normal initialisation of the user, item and
	// word tables under InputsIDs; the paper gives none.
	EmbedStd float64 `toml:"embed_std"`
	// Heads, Layers, FFNDim and Dropout configure every transformer of the behaviour-fusion
	// block; UniSAR's public code uses 2 heads, 1 layer, feed-forward width 64, dropout 0.1.
	Heads   int     `toml:"heads"`
	Layers  int     `toml:"layers"`
	FFNDim  int     `toml:"ffn_dim"`
	Dropout float64 `toml:"dropout"`

	// RecShortK and SearchShortK are the short-term proxy windows K (4 and 2 in the paper).
	RecShortK    int `toml:"rec_short_k"`
	SearchShortK int `toml:"search_short_k"`

	// Alpha, Beta and Kappa weight L_Align, L_con and L_Q in eq. 22 (α = β = 0.01 in the
	// paper; κ is tuned there over {0.001, 0.01, 0.1} and defaults to the middle value).
	Alpha float64 `toml:"alpha"`
	Beta  float64 `toml:"beta"`
	Kappa float64 `toml:"kappa"`
	// Gamma weights the inter-scenario triplets in L_con (0.001 in the paper).
	Gamma float64 `toml:"gamma"`
	// Lambda1 weights the search loss in eq. 23 (tuned over {0.01, 0.1}; default 0.1, which is
	// also UniSAR's KuaiSAR weight of the search loss).
	Lambda1 float64 `toml:"lambda1"`
	// Margin is the triplet margin m; the paper gives none and SESRec's code uses 0.1.
	Margin float64 `toml:"margin"`
	// AlignTemp and QueryTemp initialise the learnable temperatures τ2 (alignment) and τ1
	// (query–item). UniSAR's code starts them at 0.1 (his_cl_temp) and 0.5 (q_i_cl_temp).
	AlignTemp float64 `toml:"align_temp"`
	QueryTemp float64 `toml:"query_temp"`
	// QuerySessions is the number of most recent search-history sessions per batch row whose
	// (query, clicked item) pairs enter L_Q; the other rows' pairs are the sampled negatives.
	QuerySessions int `toml:"query_sessions"`
	// QueryClicks is the number of clicked items per such session (the first ones) that are
	// positives of its query. The logit matrix of L_Q is N×N for N pairs, so 1 keeps it at
	// batch rows squared; the paper sums over every clicked item.
	QueryClicks int `toml:"query_clicks"`

	// AttnHidden is the hidden widths of the interaction MLP of eqs. 7 and 9 over
	// [v, q, v−q, v⊙q]; the paper gives none, so DIN's activation unit [64, 16] is used.
	AttnHidden []int `toml:"attn_hidden"`
	// GateHidden is the hidden width of the fusion gates G_ℓ, G_s and GateKind their output
	// (GateScalar or GateVector); the paper calls them lightweight MLP gates.
	GateHidden int    `toml:"gate_hidden"`
	GateKind   string `toml:"gate_kind"`
	// DecoderHidden is the hidden width of the four decoders from the fused interests back to
	// each scenario; 0 makes each decoder one linear map d → d, the smallest the paper allows.
	DecoderHidden int `toml:"decoder_hidden"`
	// AdaptiveHidden is the hidden width of the long–short gate MLP of eq. 19.
	AdaptiveHidden int `toml:"adaptive_hidden"`
	// ShareGateGRU makes eq. 19's h_f the last state of the short-term encoder's GRU instead
	// of a separate GRU over H_t (the paper describes a separate compression).
	ShareGateGRU bool `toml:"share_gate_gru"`

	// ExpertHidden is the width of each PLE expert (one layer), SharedExperts and TaskExperts
	// the expert counts (4 and 4 in the paper), TowerHidden the per-task tower after the
	// experts and HeadHidden the per-task prediction MLP; UniSAR's code uses [64], [128, 64]
	// and 64 → 200 → 80 → 1.
	ExpertHidden  int   `toml:"expert_hidden"`
	SharedExperts int   `toml:"shared_experts"`
	TaskExperts   int   `toml:"task_experts"`
	TowerHidden   []int `toml:"tower_hidden"`
	HeadHidden    []int `toml:"head_hidden"`

	// ConReading is ConSplitIntra (default) or ConLiteral; see those constants.
	ConReading string `toml:"con_reading"`
	// ProxySource is ProxyEmbedding (default) or ProxyFused.
	ProxySource string `toml:"proxy_source"`
	// InterProjection applies W_s to the search-side interests in the inter-scenario triplets
	// as eq. 14 does (eq. 17 omits it).
	InterProjection bool `toml:"inter_projection"`
	// AuxBatches is AuxEachBatch (default) or AuxRecBatch.
	AuxBatches string `toml:"aux_batches"`

	// Ablation switches: each true keeps the component of the full model.
	RecLong     bool `toml:"rec_long"`
	RecShort    bool `toml:"rec_short"`
	SearchLong  bool `toml:"search_long"`
	SearchShort bool `toml:"search_short"`
	// CSF keeps the cross-scenario dual-horizon interest fusion (gates and decoders); without
	// it each scenario uses its own interests directly.
	CSF bool `toml:"csf"`
	// RecIntra, SearchIntra and Inter keep the three parts of L_con.
	RecIntra    bool `toml:"rec_intra"`
	SearchIntra bool `toml:"search_intra"`
	Inter       bool `toml:"inter"`
	// QueryAlign keeps L_Q.
	QueryAlign bool `toml:"query_align"`
	// PLE keeps the PLE prediction layer; without it each task has an independent MLP.
	PLE bool `toml:"ple"`
	// Tasks is "both" (default), "rec" or "search". A single task trains alone on its own
	// scenario: the other scenario's history, the cross-scenario parts and PLE are dropped.
	Tasks string `toml:"tasks"`
}

// Task selections accepted by Options.Tasks.
const (
	TasksBoth   = "both"
	TasksRec    = "rec"
	TasksSearch = "search"
)

// DefaultOptions returns the full model with the paper's hyperparameters and the readings and
// sizes documented on each Options field.
func DefaultOptions() Options {
	return Options{
		Dim: 64, Inputs: InputsFeatures, FieldDim: 32, CategoryLevels: 2, EmbedStd: 0.1, Heads: 2, Layers: 1, FFNDim: 64, Dropout: 0.1,
		RecShortK: 4, SearchShortK: 2,
		Alpha: 0.01, Beta: 0.01, Kappa: 0.01, Gamma: 0.001, Lambda1: 0.1, Margin: 0.1,
		AlignTemp: 0.1, QueryTemp: 0.5, QuerySessions: 1, QueryClicks: 1,
		AttnHidden: []int{64, 16}, GateHidden: 64, GateKind: GateScalar, DecoderHidden: 0,
		AdaptiveHidden: 64,
		ExpertHidden:   64, SharedExperts: 4, TaskExperts: 4,
		TowerHidden: []int{128, 64}, HeadHidden: []int{200, 80},
		ConReading: ConSplitIntra, ProxySource: ProxyEmbedding, InterProjection: true,
		AuxBatches: AuxEachBatch,
		RecLong:    true, RecShort: true, SearchLong: true, SearchShort: true,
		CSF: true, RecIntra: true, SearchIntra: true, Inter: true, QueryAlign: true, PLE: true,
		Tasks: TasksBoth,
	}
}

// Validate returns an error naming every invalid field with its key, value and what to use.
func (o Options) Validate() error {
	var errs []error
	bad := func(key string, value any, want string) {
		errs = append(errs, fmt.Errorf("dhim options: %s = %v is invalid: want %s", key, value, want))
	}
	positive := func(key string, v int) {
		if v < 1 {
			bad(key, v, "at least 1")
		}
	}
	finite := func(key string, v float64, lo float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < lo {
			bad(key, v, fmt.Sprintf("a finite number of at least %g", lo))
		}
	}
	positive("dim", o.Dim)
	positive("field_dim", o.FieldDim)
	if o.CategoryLevels < 0 {
		bad("category_levels", o.CategoryLevels, "0 (item id only) or more")
	}
	positive("heads", o.Heads)
	positive("layers", o.Layers)
	positive("ffn_dim", o.FFNDim)
	positive("rec_short_k", o.RecShortK)
	positive("search_short_k", o.SearchShortK)
	positive("query_sessions", o.QuerySessions)
	positive("query_clicks", o.QueryClicks)
	positive("gate_hidden", o.GateHidden)
	positive("adaptive_hidden", o.AdaptiveHidden)
	positive("expert_hidden", o.ExpertHidden)
	positive("shared_experts", o.SharedExperts)
	positive("task_experts", o.TaskExperts)
	if o.Heads >= 1 && o.Dim%o.Heads != 0 {
		bad("heads", o.Heads, fmt.Sprintf("a divisor of dim = %d", o.Dim))
	}
	if o.DecoderHidden < 0 {
		bad("decoder_hidden", o.DecoderHidden, "0 (one linear layer) or more")
	}
	if o.Dropout < 0 || o.Dropout >= 1 || math.IsNaN(o.Dropout) {
		bad("dropout", o.Dropout, "a number in [0, 1)")
	}
	if !(o.EmbedStd > 0) || math.IsInf(o.EmbedStd, 0) {
		bad("embed_std", o.EmbedStd, "a finite positive number")
	}
	finite("alpha", o.Alpha, 0)
	finite("beta", o.Beta, 0)
	finite("kappa", o.Kappa, 0)
	finite("gamma", o.Gamma, 0)
	finite("lambda1", o.Lambda1, 0)
	finite("margin", o.Margin, 0)
	if !(o.AlignTemp > 0) || math.IsInf(o.AlignTemp, 0) {
		bad("align_temp", o.AlignTemp, "a finite positive number")
	}
	if !(o.QueryTemp > 0) || math.IsInf(o.QueryTemp, 0) {
		bad("query_temp", o.QueryTemp, "a finite positive number")
	}
	widths := func(key string, w []int) {
		if slices.ContainsFunc(w, func(x int) bool { return x < 1 }) {
			bad(key, w, "widths of at least 1")
		}
	}
	widths("attn_hidden", o.AttnHidden)
	widths("tower_hidden", o.TowerHidden)
	widths("head_hidden", o.HeadHidden)
	if len(o.TowerHidden) == 0 {
		bad("tower_hidden", o.TowerHidden, "at least one width")
	}
	oneOf := func(key, v string, allowed ...string) {
		if !slices.Contains(allowed, v) {
			bad(key, fmt.Sprintf("%q", v), fmt.Sprintf("one of %q", allowed))
		}
	}
	oneOf("inputs", o.Inputs, InputsFeatures, InputsIDs)
	oneOf("gate_kind", o.GateKind, GateScalar, GateVector)
	oneOf("con_reading", o.ConReading, ConSplitIntra, ConLiteral)
	oneOf("proxy_source", o.ProxySource, ProxyEmbedding, ProxyFused)
	oneOf("aux_batches", o.AuxBatches, AuxEachBatch, AuxRecBatch)
	oneOf("tasks", o.Tasks, TasksBoth, TasksRec, TasksSearch)
	return errors.Join(errs...)
}
