package mai

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Model is MAI for the search task. Score may run on several goroutines at once, but Loss and
// Score must not run while an optimizer updates the parameters.
type Model struct {
	opts Options
	// attrs maps each item to its attribute values.
	attrs attributeTable

	words *layer.Embedding
	// attrEmb[a] is the embedding table of attribute a.
	attrEmb   []*layer.Embedding
	queryProj *layer.Linear

	// centered[a] profiles attribute a alone; aware profiles all attributes together.
	centered []*profiler
	aware    *profiler
	// weights maps [q, u^0..u^(A−1), u^mix, c] to A+1 contribution logits.
	weights *layer.MLP

	queryWords []int32
	queryLen   []int32
	wordWidth  int
	// searchWidth is the search-history width the positional embeddings were sized for.
	searchWidth int
}

// profiler is one interest-profiling module: learned positional embeddings, a transformer
// encoder over the session sequence and a query-attention pooling.
type profiler struct {
	pos    *nn.Param
	layers []*layer.TransformerEncoderLayer
	// queryProj is W in the pooling score (W·q)·h_j / √d.
	queryProj *layer.Linear
}

func newProfiler(name string, o Options, length int, rng *rand.Rand) *profiler {
	p := &profiler{pos: &nn.Param{Name: name + ".pos_emb", Value: nn.NewTensor(length, o.Dim), Decay: true}}
	layer.Normal(p.pos, o.EmbedStd, rng)
	cfg := layer.TransformerConfig{Dim: o.Dim, Heads: o.Heads, FeedForward: o.FFN, Dropout: float32(o.Dropout)}
	for i := range o.Layers {
		p.layers = append(p.layers, layer.NewTransformerEncoderLayer(fmt.Sprintf("%s.encoder.%d", name, i), cfg, rng))
	}
	p.queryProj = layer.NewLinear(name+".pool_query", o.Dim, o.Dim, false, rng)
	return p
}

func (p *profiler) params() []*nn.Param {
	ps := []*nn.Param{p.pos}
	for _, l := range p.layers {
		ps = append(ps, l.Params()...)
	}
	return append(ps, p.queryProj.Params()...)
}

// New builds MAI for the prepared data with weights drawn from a generator seeded with seed.
// It returns an error for invalid options, nil or empty data, or a query-word table that does
// not match the dataset.
func New(data *prep.Prepared, opts Options, seed uint64) (*Model, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if data == nil || data.Dataset == nil {
		return nil, fmt.Errorf("mai: prepared data is nil")
	}
	ds := data.Dataset
	if len(ds.Items) == 0 || len(ds.Words) == 0 {
		return nil, fmt.Errorf("mai: dataset %q has %d items and %d words; both must be positive", ds.Name, len(ds.Items), len(ds.Words))
	}
	width := data.Options.MaxQueryWords
	if width < 1 || len(data.QueryWords) != len(ds.Queries)*width || len(data.QueryLen) != len(ds.Queries) {
		return nil, fmt.Errorf("mai: query-word table has %d entries and %d lengths for %d queries of width %d; prepare the data with prep.Prepare",
			len(data.QueryWords), len(data.QueryLen), len(ds.Queries), width)
	}
	attrs, err := newAttributeTable(ds, opts.CategoryLevels)
	if err != nil {
		return nil, err
	}

	rng := rand.New(rand.NewPCG(seed, 0))
	d, numAttrs := opts.Dim, attrs.count
	m := &Model{
		opts: opts, attrs: attrs,
		queryWords: data.QueryWords, queryLen: data.QueryLen, wordWidth: width,
		searchWidth: data.Options.MaxSearchHistory,
	}
	m.words = layer.NewEmbedding("mai.word_emb", len(ds.Words), d, opts.EmbedStd, rng)
	m.attrEmb = append(m.attrEmb, layer.NewEmbedding("mai.attr_emb.0", len(ds.Items), d, opts.EmbedStd, rng))
	for a := 1; a < numAttrs; a++ {
		m.attrEmb = append(m.attrEmb, layer.NewEmbedding(fmt.Sprintf("mai.attr_emb.%d", a), len(ds.Categories), d, opts.EmbedStd, rng))
	}
	m.queryProj = layer.NewLinear("mai.query_proj", d, d, true, rng)
	for a := range numAttrs {
		m.centered = append(m.centered, newProfiler(fmt.Sprintf("mai.centered.%d", a), opts, m.searchWidth, rng))
	}
	m.aware = newProfiler("mai.aware", opts, m.searchWidth, rng)
	in := d * (numAttrs + 2)
	if opts.ExplicitSignal {
		in += numAttrs
	}
	m.weights = layer.NewMLP("mai.weights", layer.MLPConfig{
		In: in, Hidden: []int{opts.WeightHidden}, Out: numAttrs + 1, Activation: layer.ActReLU,
	}, rng)
	return m, nil
}

// Options returns the options the model was built with.
func (m *Model) Options() Options { return m.opts }

// Attributes returns the number of item attributes A: the item id and the category levels used.
func (m *Model) Attributes() int { return m.attrs.count }

// Params returns the word table, the attribute tables, the query projection, the
// attribute-centered profilers, the attribute-aware profiler and the weight MLP, in that order.
func (m *Model) Params() []*nn.Param {
	ps := []*nn.Param{m.words.Weight}
	for _, e := range m.attrEmb {
		ps = append(ps, e.Weight)
	}
	ps = append(ps, m.queryProj.Params()...)
	for _, p := range m.centered {
		ps = append(ps, p.params()...)
	}
	ps = append(ps, m.aware.params()...)
	return append(ps, m.weights.Params()...)
}

// Tasks returns the search task only: MAI is a product-search model.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Search} }
