package train

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/nn"
)

// tinyData prepares the synthetic tiny KuaiSAR-shaped preset once per test binary.
var tinyData = sync.OnceValues(func() (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		return nil, err
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, prep.DefaultOptions())
})

func loadTiny(t *testing.T) *prep.Prepared {
	t.Helper()
	data, err := tinyData()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// quietOptions returns Options that log nothing and show no progress bar.
func quietOptions() Options {
	return Options{Logger: slog.New(slog.DiscardHandler), Quiet: true}
}

// dotModel is the test model. A row's representation is its user's embedding plus the mean of
// its recommendation history's item embeddings plus, for a search row, the mean of its query
// words' embeddings. A candidate's score is the dot product with the item's embedding plus an
// item bias. It trains with a sampled softmax over each positive and its negatives.
type dotModel struct {
	tasks      []datasets.Kind
	data       *prep.Prepared
	user, item *nn.Param
	word, bias *nn.Param
}

// newDotModel initialises the tables with small uniform values from seed.
func newDotModel(data *prep.Prepared, dim int, seed uint64, tasks ...datasets.Kind) *dotModel {
	if len(tasks) == 0 {
		tasks = []datasets.Kind{datasets.Rec, datasets.Search}
	}
	rng := newTestRand(seed)
	table := func(name string, rows, cols int, scale float32) *nn.Param {
		v := nn.NewTensor(rows, cols)
		for i := range v.Data {
			v.Data[i] = scale * (2*rng.float32() - 1)
		}
		return &nn.Param{Name: name, Value: v, RowSparse: true, Decay: true}
	}
	return &dotModel{
		tasks: tasks,
		data:  data,
		user:  table("user_embedding.weight", len(data.Dataset.Users), dim, 0.1),
		item:  table("item_embedding.weight", len(data.Dataset.Items), dim, 0.1),
		word:  table("word_embedding.weight", len(data.Dataset.Words), dim, 0.1),
		bias:  table("item_bias.weight", len(data.Dataset.Items), 1, 0),
	}
}

func (m *dotModel) Params() []*nn.Param { return []*nn.Param{m.user, m.item, m.word, m.bias} }

func (m *dotModel) Tasks() []datasets.Kind { return m.tasks }

// Loss is the mean over both batches' rows of −log softmax(positive) among the positive and
// its negatives, per task; the total adds the task means.
func (m *dotModel) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	terms := map[string]*nn.Var{}
	var total *nn.Var
	parts := []struct {
		name  string
		batch *prep.Batch
	}{{"click_rec", rec}, {"click_src", search}}
	for _, part := range parts {
		name, b := part.name, part.batch
		if b == nil {
			continue
		}
		width := 1 + b.NegativeWidth
		items := make([]int32, 0, b.Size*width)
		for i := range b.Size {
			items = append(items, b.Target[i])
			items = append(items, b.Negatives[i*b.NegativeWidth:(i+1)*b.NegativeWidth]...)
		}
		logits := m.logits(t, b, items, width)
		first := nn.Narrow(nn.LogSoftmax(logits), 1, 0, 1)
		loss := nn.Scale(nn.Mean(first), -1)
		terms[name] = loss
		if total == nil {
			total = loss
		} else {
			total = nn.Add(total, loss)
		}
	}
	if total == nil {
		return nil, nil, fmt.Errorf("dotModel: no batch")
	}
	return total, terms, nil
}

func (m *dotModel) Score(t *nn.Tape, b *prep.Batch, candidates [][]int32, scores [][]float32) error {
	width := len(candidates[0])
	items := make([]int32, 0, b.Size*width)
	for _, c := range candidates {
		items = append(items, c...)
	}
	logits := m.logits(t, b, items, width)
	for i := range b.Size {
		copy(scores[i], logits.Data()[i*width:(i+1)*width])
	}
	return nil
}

// logits returns [b.Size, width] scores of items, width per row.
func (m *dotModel) logits(t *nn.Tape, b *prep.Batch, items []int32, width int) *nn.Var {
	dim := m.item.Value.Shape[1]
	rep := nn.Gather(t.Param(m.user), b.User[:b.Size])
	hist := nn.Reshape(nn.Gather(t.Param(m.item), b.RecItems[:b.Size*b.RecWidth]), b.Size, b.RecWidth, dim)
	rep = nn.Add(rep, nn.Mul(nn.SumAxis(hist, 1, false), m.inverseCounts(t, b.RecLen[:b.Size])))
	queryIDs, queryLen := m.queryWords(b)
	words := nn.Reshape(nn.Gather(t.Param(m.word), queryIDs), b.Size, m.data.Options.MaxQueryWords, dim)
	rep = nn.Add(rep, nn.Mul(nn.SumAxis(words, 1, false), m.inverseCounts(t, queryLen)))

	cand := nn.Reshape(nn.Gather(t.Param(m.item), items), b.Size, width, dim)
	dot := nn.SumAxis(nn.Mul(cand, nn.Reshape(rep, b.Size, 1, dim)), 2, false)
	bias := nn.Reshape(nn.Gather(t.Param(m.bias), items), b.Size, width)
	return nn.Add(dot, bias)
}

// queryWords returns the padded query words of each row (all padding for rec rows) and the
// number of words.
func (m *dotModel) queryWords(b *prep.Batch) ([]int32, []int32) {
	w := m.data.Options.MaxQueryWords
	ids := make([]int32, b.Size*w)
	lens := make([]int32, b.Size)
	for i := range ids {
		ids[i] = nn.PaddingID
	}
	for i := range b.Size {
		q := b.Query[i]
		if q < 0 {
			continue
		}
		copy(ids[i*w:(i+1)*w], m.data.QueryWords[int(q)*w:(int(q)+1)*w])
		lens[i] = m.data.QueryLen[q]
	}
	return ids, lens
}

// inverseCounts returns a [len(counts), 1] constant of 1/max(count, 1).
func (m *dotModel) inverseCounts(t *nn.Tape, counts []int32) *nn.Var {
	v := t.Zeros(len(counts), 1)
	for i, c := range counts {
		v.Data()[i] = 1 / float32(max(c, 1))
	}
	return v
}

// testRand is a small deterministic generator for test initialisation (SplitMix64).
type testRand struct{ state uint64 }

func newTestRand(seed uint64) *testRand { return &testRand{state: seed} }

func (r *testRand) float32() float32 {
	r.state += 0x9e3779b97f4a7c15
	return float32(mix64(r.state)>>40) / (1 << 24)
}
