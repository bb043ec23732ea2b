// Package dhim implements DHIM, the dual-horizon interest model for unified search and
// recommendation (AAAI 2026), with every component of its ablation table as an Options switch.
//
// A Model follows the paper's method. It embeds users, items and queries (by default with
// UniSAR's feature fields, see Options.Inputs). It fuses the two scenarios' behaviours with
// UniSAR's cross-scenario block (package nn/block) and its alignment loss L_Align. It encodes a
// long-term and a short-term interest per scenario and fuses matching horizons across scenarios
// through sigmoid gates, decoded back to each scenario. Triplet losses L_con (intra- and
// inter-scenario) and the query–item contrastive loss L_Q supervise these interests. Per
// candidate, a long–short adaptive gate, target attention per scenario and a PLE prediction
// layer give the score. Where the paper's equations are inconsistent, Options names the reading.
//
// Each sample's histories are encoded once per Loss or Score call; only the adaptive gate, the
// target attention and the prediction layer run per candidate item.
package dhim

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/block"
	"github.com/srbench/srbench/nn/layer"
)

// Model is DHIM for one prepared dataset. Its methods match the trainer's Model interface:
// Params, Tasks, Loss and Score. Loss and Score may run concurrently on different tapes.
type Model struct {
	opts  Options
	tasks []datasets.Kind

	// recWidth and srcWidth are the history widths of the prepared data.
	recWidth int
	srcWidth int

	// inputs gives the raw user, item and query embeddings (Options.Inputs).
	inputs embedder
	// recQuery is q_φ, the learned query embedding of recommendation samples [1, d].
	recQuery *nn.Param
	// queryW and queryTau are the bilinear similarity W and temperature τ1 of L_Q.
	queryW, queryTau *nn.Param

	fusion   *block.Fusion
	horizons [2]*horizonEncoders
	csf      *crossFusion
	// interW is W_s, which projects search-side interests in the inter-scenario triplets.
	interW *nn.Param
	heads  [2]*candidateHead
	pred   *predictor

	params []*nn.Param
}

// New builds a DHIM model for the prepared data p with weights drawn from a PCG seeded with
// seed. It returns an error naming the invalid option, or when p has no user, item or word.
func New(p *prep.Prepared, o Options, seed uint64) (*Model, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	ds := p.Dataset
	if len(ds.Users) == 0 || len(ds.Items) == 0 || len(ds.Words) == 0 {
		return nil, fmt.Errorf("dhim: dataset %s has %d users, %d items and %d words; DHIM needs at least one of each",
			ds.Name, len(ds.Users), len(ds.Items), len(ds.Words))
	}
	rng := rand.New(rand.NewPCG(seed, 0x64_68_69_6d)) // second word: "dhim"
	d := o.Dim
	m := &Model{
		opts:     o,
		recWidth: p.Options.MaxRecHistory,
		srcWidth: p.Options.MaxSearchHistory,
	}
	switch o.Tasks {
	case TasksRec:
		m.tasks = []datasets.Kind{datasets.Rec}
	case TasksSearch:
		m.tasks = []datasets.Kind{datasets.Search}
	default:
		m.tasks = []datasets.Kind{datasets.Rec, datasets.Search}
	}
	inputs, err := newEmbedder(p, o, rng)
	if err != nil {
		return nil, err
	}
	m.inputs = inputs
	m.recQuery = xavierParam("rec_query", rng, 1, d)
	m.queryW = xavierParam("query_item_align.weight", rng, d, d)
	m.queryTau = constParam("query_item_align.temperature", float32(o.QueryTemp))

	fc := block.FusionConfig{Dim: d, Heads: o.Heads, Layers: o.Layers, FFN: o.FFNDim, Dropout: float32(o.Dropout),
		RecLen: m.recWidth, SearchLen: m.srcWidth, AlignTemp: float32(o.AlignTemp)}
	m.fusion = block.NewFusion("behavior_fusion", fc, rng)
	for k, name := range scenarioNames {
		m.horizons[k] = newHorizonEncoders(name, o, rng)
		m.heads[k] = newCandidateHead(name, o, rng)
	}
	m.csf = newCrossFusion(o, rng)
	m.interW = xavierParam("inter_projection", rng, d, d)
	m.pred = newPredictor(o, rng)
	m.params = m.collectParams()
	return m, nil
}

// scenarioNames name the per-scenario modules, indexed by datasets.Kind.
var scenarioNames = [2]string{"rec", "src"}

// xavierParam returns a [rows, cols] weight drawn Xavier-uniform. UniSAR draws its bilinear
// matrices and q_φ Xavier-normal, which has the same variance.
func xavierParam(name string, rng *rand.Rand, rows, cols int) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(rows, cols), Decay: true}
	layer.XavierUniform(p, 1, rng)
	return p
}

// constParam returns a one-element parameter set to v that takes no weight decay.
func constParam(name string, v float32) *nn.Param {
	p := &nn.Param{Name: name, Value: nn.NewTensor(1)}
	layer.Fill(p, v)
	return p
}

func (m *Model) collectParams() []*nn.Param {
	ps := m.inputs.params()
	ps = append(ps, m.recQuery, m.queryW, m.queryTau)
	ps = append(ps, m.fusion.Params()...)
	for k := range 2 {
		ps = append(ps, m.horizons[k].Params()...)
	}
	ps = append(ps, m.csf.Params()...)
	ps = append(ps, m.interW)
	for k := range 2 {
		ps = append(ps, m.heads[k].Params()...)
	}
	return append(ps, m.pred.Params()...)
}

// Params returns every parameter in a fixed order, including those that the options switch
// off; a switched-off parameter never receives a gradient.
func (m *Model) Params() []*nn.Param { return m.params }

// Tasks returns the trained tasks: both, or the one task of an only-Rec or only-Src variant.
func (m *Model) Tasks() []datasets.Kind { return append([]datasets.Kind(nil), m.tasks...) }

// Options returns the options the model was built with.
func (m *Model) Options() Options { return m.opts }

// joint reports whether both scenarios are modelled (false for the single-task variants).
func (m *Model) joint() bool { return m.opts.Tasks == TasksBoth }

// trains reports whether the model trains task k.
func (m *Model) trains(k datasets.Kind) bool {
	return m.joint() || (k == datasets.Rec) == (m.opts.Tasks == TasksRec)
}
