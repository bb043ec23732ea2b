// Package unisar implements UniSAR (Shi et al., "UniSAR: Modeling User Transition Behaviors
// between Search and Recommendation", SIGIR 2024) as a joint baseline that trains on both
// tasks at once and scores both.
//
// A Model embeds users, items and queries from their fields (package joint, after the
// authors' models/Inputs.py), runs UniSAR's behaviour fusion from package nn/block (per-
// scenario transformers for the intra-scenario transitions, a global transformer over both
// histories merged by time in which a position attends only to the other scenario's positions,
// and a cross-attention decoder per scenario), pools each fused history with bilinear target
// attention per candidate item, and predicts with a PLE layer whose input is [rec interest,
// search interest, item, user, query] (a learned query vector for recommendation). The loss of
// each task's batch is BCE + AlignWeight·L_align + QueryItemWeight·L_qi, and a step's loss is
// L_rec + SearchLossWeight·L_src, as utils/Runner.py combines them.
//
// Differences from the reference code, each forced by the shared harness or cost:
//   - The alignment loss is block.Fusion.AlignLoss: a bidirectional InfoNCE whose negatives are
//     the other rows' representations of the other view. The reference (TransAlign) uses the
//     NT-Xent form, where the same view's other rows are negatives too.
//   - PLE gates have no bias (layer.PLE); the reference's gates are nn.Linear with bias.
//   - The query–item loss uses the batch's distinct history pairs, at most QueryItemPairs of
//     them, and draws its negatives uniformly per step instead of cycling a shuffled vocabulary.
//   - Items have no caption field, since the harness's datasets carry no item text.
//
// The histories of a sample are encoded once per Loss or Score call; only target attention
// and the prediction layer run per candidate. The first layer of PLE's experts and gates is
// split by input part, so its user and query part runs once per sample and its item part
// once per distinct item; only the task being trained or scored runs its experts.
package unisar

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/joint"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
	"github.com/srbench/srbench/nn/layer"
)

const name = "unisar"

// Model is UniSAR for one prepared dataset. Its methods match the trainer's Model interface;
// Loss and Score may run concurrently on different tapes.
type Model struct {
	cfg       Config
	features  *joint.Features
	fusion    *block.Fusion
	attention [2]*joint.TargetAttention
	recQuery  *nn.Param
	queryItem *joint.QueryItemAlign
	ple       *layer.PLE
	towers    [2]*layer.MLP
	heads     [2]*layer.MLP
	numItems  int
	numQuery  int
	widths    [2]int
	params    []*nn.Param
}

// New builds UniSAR for the prepared data p with weights drawn from a PCG seeded with seed.
// It returns an error for an invalid config or a dataset without users, items or words.
func New(p *prep.Prepared, cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x756e69736172)) // "unisar"
	f, err := joint.NewFeatures("embedding", p, cfg.Features, rng)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	d := cfg.Features.Dim
	m := &Model{cfg: cfg, features: f, numItems: len(p.Dataset.Items), numQuery: len(p.Dataset.Queries),
		widths: [2]int{p.Options.MaxRecHistory, p.Options.MaxSearchHistory}}
	m.fusion = block.NewFusion("fusion", cfg.fusionConfig(m.widths[0], m.widths[1]), rng)
	m.attention[datasets.Rec] = joint.NewTargetAttention("rec_his_attn_pooling", d, rng)
	m.attention[datasets.Search] = joint.NewTargetAttention("src_his_attn_pooling", d, rng)
	m.recQuery = joint.XavierParam("rec_query", 1, d, rng)
	m.queryItem = joint.NewQueryItemAlign("feature_alignment", d, cfg.QueryItemTemp, rng)
	m.ple = layer.NewPLE("ple_layer", layer.PLEConfig{In: 5 * d, Tasks: 2, Levels: 1,
		SharedExperts: cfg.SharedExperts, TaskExperts: cfg.TaskExperts, ExpertHidden: cfg.ExpertHidden,
		Activation: layer.ActReLU, Dropout: cfg.Dropout}, rng)
	expertOut := cfg.ExpertHidden[len(cfg.ExpertHidden)-1]
	for k, task := range []string{"rec", "src"} {
		m.towers[k] = layer.NewMLP("ple_layer.tower."+task, layer.MLPConfig{In: expertOut, Hidden: cfg.Tower,
			Activation: layer.ActReLU, Dropout: cfg.Dropout}, rng)
		m.heads[k] = layer.NewMLP(task+"_fc_layer", layer.MLPConfig{In: cfg.Tower[len(cfg.Tower)-1], Hidden: cfg.Head, Out: 1,
			Activation: layer.ActReLU, Dropout: cfg.Dropout}, rng)
	}
	m.params = m.collectParams()
	return m, nil
}

func (m *Model) collectParams() []*nn.Param {
	ps := m.features.Params()
	ps = append(ps, m.fusion.Params()...)
	ps = append(ps, layer.Collect(m.attention[0], m.attention[1], m.queryItem, m.ple)...)
	ps = append(ps, m.recQuery)
	return append(ps, layer.Collect(m.towers[0], m.towers[1], m.heads[0], m.heads[1])...)
}

// Params returns every parameter in a fixed order.
func (m *Model) Params() []*nn.Param { return m.params }

// Tasks returns both tasks: UniSAR trains and scores recommendation and search jointly.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec, datasets.Search} }

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// checkBatch returns an error when batch does not fit the prepared data the model was built on.
func (m *Model) checkBatch(batch *prep.Batch) error {
	if batch.RecWidth != m.widths[0] || batch.SearchWidth != m.widths[1] {
		return fmt.Errorf("%s: batch history widths %d (rec) and %d (search), want %d and %d of the prepared data the model was built on",
			name, batch.RecWidth, batch.SearchWidth, m.widths[0], m.widths[1])
	}
	return m.features.CheckBatch(name, batch)
}

// encoded is one batch after the behaviour fusion: what every candidate of a row shares.
type encoded struct {
	emb    *joint.Embedded
	fusion block.FusionOutput
}

// encode embeds the batch with the candidates (width per row) and the extra items and queries
// a loss needs, and runs the behaviour fusion once per row.
func (m *Model) encode(t *nn.Tape, batch *prep.Batch, candidates []int32, width int, extraItems, extraQueries []int32) *encoded {
	e := joint.Embed(t, m.features, batch, candidates, width, extraItems, extraQueries)
	b := batch.Size
	out := m.fusion.Forward(t, block.FusionInput{
		Rec: e.Rec, Search: e.SearchBehaviors(),
		RecIDs: e.RecIDs, SearchIDs: e.SearchIDs,
		MergedKind: batch.MergedKind[:b*batch.MergedWidth], MergedSlot: batch.MergedSlot[:b*batch.MergedWidth],
	})
	return &encoded{emb: e, fusion: out}
}

// experts returns task k's PLE output [B·C, ExpertHidden] for every candidate of every row.
// PLE's input is [rec interest, search interest, item, user, query], 5·d wide. Its user and
// query part runs once per row and its item part once per distinct item (taskExperts).
func (m *Model) experts(t *nn.Tape, enc *encoded, k int) *nn.Var {
	return m.taskExperts(t, k, m.pleInput(t, enc))
}

// pleInput returns PLE's input for every candidate of every row, in its three parts.
func (m *Model) pleInput(t *nn.Tape, enc *encoded) pleInput {
	e := enc.emb
	b, c, d := e.Rows, e.CandidateWidth, m.cfg.Features.Dim
	var interests [2]*nn.Var
	for k, ids := range [2][]int32{e.RecIDs, e.SearchIDs} {
		h := enc.fusion.H[k]
		keep := joint.RowMask(t, ids, b, h.Shape()[1])
		pooled := joint.Pool(m.attention[k].Scores(h, e.Candidates), h, keep)
		interests[k] = nn.Reshape(pooled, b*c, d)
	}
	return pleInput{
		perCandidate: nn.Concat(-1, interests[0], interests[1]),
		items:        e.Items, itemRows: e.CandidateRows,
		perRow:    nn.Concat(-1, e.User, e.QueryOrDefault(t.Param(m.recQuery))),
		rowOwners: e.CandidateRowOwners(),
	}
}

// logits returns task k's logits [rows, 1] from its PLE output.
func (m *Model) logits(k int, expert *nn.Var) *nn.Var {
	return m.heads[k].Forward(m.towers[k].Forward(expert))
}
