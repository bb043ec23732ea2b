// Package din is the DIN baseline (Zhou et al., "Deep Interest Network for Click-Through Rate
// Prediction", KDD 2018), a recommender trained without search data.
//
// An item is represented by its id embedding joined with the embedding of its finest
// category, as in the authors' public code (din/model.py in
// github.com/zhougr1993/DeepInterestNetwork, which joins item and category embeddings of half
// the width each). For a candidate, the activation unit scores every item of the user's
// recommendation history with an MLP over [candidate, key, candidate − key,
// candidate ⊙ key], and the history is summed with those scores as weights. As the paper
// prescribes, the weights are not normalised by a softmax, so the pooled vector keeps the
// intensity of the user's interest. The prediction MLP maps [user embedding, pooled history,
// candidate] to the candidate's logit.
//
// It trains and scores the recommendation task only and reads only the recommendation
// history. As for every model in this harness, the objective is binary cross-entropy on each
// training positive and its sampled negatives.
package din

import (
	"fmt"
	"math/rand/v2"

	"github.com/srbench/srbench/baselines/internal/seqrec"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/layer"
)

// name prefixes error messages.
const name = "din"

// scoreChunk is the largest number of (row, candidate) pairs that Score evaluates on the tape
// at once. The activation unit's widest value has one row per pair and history slot, so at 30
// slots and d = 64 a chunk of 2048 pairs keeps each such value near 16 MB.
const scoreChunk = 2048

// Model is DIN. Its methods may run on several tapes at once: they only read the parameters.
type Model struct {
	cfg          Config
	numUsers     int
	numItems     int
	maxLen       int
	itemCategory []int32 // finest category of each item, or -1

	users      *layer.Embedding // [users, Dim]
	items      *layer.Embedding // [items, Dim/2]
	categories *layer.Embedding // [categories, Dim/2]
	attention  *layer.DINAttention
	head       *layer.MLP
}

// New returns DIN for data's users, items and categories, with weights drawn from cfg.Seed:
// embedding tables and linear weights are Xavier-uniform, the default initialiser of
// TensorFlow 1's tf.get_variable and tf.layers.dense, which the authors' code relies on.
// It returns an error for an invalid cfg or data without users or items.
func New(data *prep.Prepared, cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	act, _ := cfg.activation()
	if data == nil || data.Dataset == nil || len(data.Dataset.Items) == 0 || len(data.Dataset.Users) == 0 {
		return nil, fmt.Errorf("%s: prepared data is nil or has no users or items", name)
	}
	if data.Options.MaxRecHistory < 1 {
		return nil, fmt.Errorf("%s: max_rec_history = %d; the model needs a history of at least 1", name, data.Options.MaxRecHistory)
	}
	ds := data.Dataset
	m := &Model{cfg: cfg, numUsers: len(ds.Users), numItems: len(ds.Items), maxLen: data.Options.MaxRecHistory}
	m.itemCategory = make([]int32, len(ds.Items))
	for i, item := range ds.Items {
		m.itemCategory[i] = -1
		if n := len(item.Categories); n > 0 {
			m.itemCategory[i] = item.Categories[n-1]
		}
		if c := m.itemCategory[i]; c < -1 || int(c) >= len(ds.Categories) {
			return nil, fmt.Errorf("%s: item %d (key %q) has category %d, outside the dataset's %d categories", name, i, item.Key, c, len(ds.Categories))
		}
	}

	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	half := cfg.Dim / 2
	m.users = layer.NewEmbedding("user_embedding", m.numUsers, cfg.Dim, 1, rng)
	m.items = layer.NewEmbedding("item_embedding", m.numItems, half, 1, rng)
	m.categories = layer.NewEmbedding("category_embedding", max(len(ds.Categories), 1), half, 1, rng)
	for _, e := range []*layer.Embedding{m.users, m.items, m.categories} {
		layer.XavierUniform(e.Weight, 1, rng)
	}
	m.attention = layer.NewDINAttention("attention", cfg.Dim, cfg.AttentionHidden, act, rng)
	m.head = layer.NewMLP("head", layer.MLPConfig{In: 3 * cfg.Dim, Hidden: cfg.HeadHidden, Out: 1, Activation: act}, rng)
	return m, nil
}

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// Params returns the user, item and category tables, then the activation unit's and the
// head's parameters.
func (m *Model) Params() []*nn.Param {
	return layer.Collect(m.users, m.items, m.categories, m.attention, m.head)
}

// Tasks returns datasets.Rec: the model trains and scores recommendation only.
func (m *Model) Tasks() []datasets.Kind { return []datasets.Kind{datasets.Rec} }

// Loss returns the binary cross-entropy of rec's positives and negatives under the model's
// logits, as the term "click_rec". search is ignored. A nil rec gives a zero loss without
// gradient. It returns an error for a batch with a search row, or a user or item outside the
// data the model was built for.
func (m *Model) Loss(t *nn.Tape, rec, search *prep.Batch) (*nn.Var, map[string]*nn.Var, error) {
	if rec == nil || rec.Size == 0 {
		return t.Zeros(), nil, nil
	}
	if err := m.checkBatch(rec, true); err != nil {
		return nil, nil, err
	}
	h := m.encodeHistory(t, rec, 0, rec.Size)
	loss := seqrec.BCELoss(m.logits(h, seqrec.TrainIDs(rec)))
	return loss, map[string]*nn.Var{"click_rec": loss}, nil
}

// Score writes each candidate's logit. The history of a row is embedded once for all its
// candidates. The activation unit depends on the candidate, so it runs per (row, candidate)
// pair, in chunks of about scoreChunk pairs, and the tape is reset between chunks. It returns
// an error for a search row, mismatched candidate and score lists, or a user or item outside
// the data the model was built for.
func (m *Model) Score(t *nn.Tape, batch *prep.Batch, candidates [][]int32, scores [][]float32) error {
	if err := m.checkBatch(batch, false); err != nil {
		return err
	}
	ids, width, err := seqrec.FlattenCandidates(name, batch, candidates, scores, m.numItems)
	if err != nil || batch.Size == 0 {
		return err
	}
	rows := max(1, scoreChunk/width)
	for lo := 0; lo < batch.Size; lo += rows {
		hi := min(lo+rows, batch.Size)
		t.Reset()
		h := m.encodeHistory(t, batch, lo, hi)
		logits := m.logits(h, ids[lo*width:hi*width])
		seqrec.CopyScores(scores, lo, logits.Data(), width)
	}
	return nil
}

// checkBatch validates b's rows, histories and users (and training items with train).
func (m *Model) checkBatch(b *prep.Batch, train bool) error {
	if err := seqrec.CheckRecBatch(name, b, m.numItems, m.maxLen, train); err != nil {
		return err
	}
	if len(b.User) < b.Size {
		return fmt.Errorf("%s: batch of %d rows has %d users", name, b.Size, len(b.User))
	}
	for row, u := range b.User[:b.Size] {
		if u < 0 || int(u) >= m.numUsers {
			return fmt.Errorf("%s: batch row %d has user %d, outside [0, %d)", name, row, u, m.numUsers)
		}
	}
	return nil
}
