package aem

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// Model is AEM, or ZAM when Options.ZeroAttention is set. It satisfies the harness's model
// interface (Params, Tasks, Loss, Score) for the search task only. Score may run on several
// goroutines at once, but Loss and Score must not run while an optimizer updates the
// parameters.
type Model struct {
	opts Options
	name string

	words, items *layer.Embedding
	// queryProj is W_φ, b_φ of f(q); nil when Options.QueryProjection is false.
	queryProj *layer.Linear
	// attnW is W_f [d, d·β], attnB is b_f [d, β] and attnH is W_h [β, 1].
	attnW, attnB, attnH *nn.Param

	queryWords []int32
	queryLen   []int32
	wordWidth  int
}

// New builds a model for the prepared data with weights drawn from a generator seeded with
// seed. Parameter names start with name ("aem" or "zam"). It returns an error for invalid
// options, nil or empty data, or a query-word table that does not match the dataset.
func New(name string, data *prep.Prepared, opts Options, seed uint64) (*Model, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if data == nil || data.Dataset == nil {
		return nil, fmt.Errorf("%s: prepared data is nil", name)
	}
	ds := data.Dataset
	if len(ds.Items) == 0 || len(ds.Words) == 0 {
		return nil, fmt.Errorf("%s: dataset %q has %d items and %d words; both must be positive", name, ds.Name, len(ds.Items), len(ds.Words))
	}
	width := data.Options.MaxQueryWords
	if width < 1 || len(data.QueryWords) != len(ds.Queries)*width || len(data.QueryLen) != len(ds.Queries) {
		return nil, fmt.Errorf("%s: query-word table has %d entries and %d lengths for %d queries of width %d; prepare the data with prep.Prepare",
			name, len(data.QueryWords), len(data.QueryLen), len(ds.Queries), width)
	}

	rng := rand.New(rand.NewPCG(seed, 0))
	d, h := opts.Dim, opts.AttentionHidden
	m := &Model{
		opts: opts, name: name,
		queryWords: data.QueryWords, queryLen: data.QueryLen, wordWidth: width,
	}
	m.words = layer.NewEmbedding(name+".word_emb", len(ds.Words), d, opts.EmbedStd, rng)
	m.items = layer.NewEmbedding(name+".item_emb", len(ds.Items), d, opts.EmbedStd, rng)
	if opts.QueryProjection {
		m.queryProj = layer.NewLinear(name+".query_proj", d, d, true, rng)
	}
	m.attnW = &nn.Param{Name: name + ".attention.weight_f", Value: nn.NewTensor(d, d*h), Decay: true}
	m.attnB = &nn.Param{Name: name + ".attention.bias_f", Value: nn.NewTensor(d, h)}
	m.attnH = &nn.Param{Name: name + ".attention.weight_h", Value: nn.NewTensor(h, 1), Decay: true}
	layer.XavierUniform(m.attnW, 1, rng)
	layer.XavierUniform(m.attnH, 1, rng)
	return m, nil
}

// Options returns the options the model was built with.
func (m *Model) Options() Options { return m.opts }

// Params returns the word table, the item table, the query projection (if any) and the
// attention's W_f, b_f and W_h, in that order.
func (m *Model) Params() []*nn.Param {
	ps := []*nn.Param{m.words.Weight, m.items.Weight}
	if m.queryProj != nil {
		ps = append(ps, m.queryProj.Params()...)
	}
	return append(ps, m.attnW, m.attnB, m.attnH)
}

// Tasks returns the search task only: AEM and ZAM are product-search models.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Search} }
