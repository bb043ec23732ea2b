package block

import (
	"math/rand/v2"
	"testing"

	"github.com/srbench/srbench/nn"
)

// tinyVocabulary has 4 items (item 3 without a category path), 3 users with two features and
// 3 queries over 5 words.
func tinyVocabulary() Vocabulary {
	return Vocabulary{
		Items: 4, ItemCategories: [][]int32{{0, 2}, {0, 3}, {1}, nil}, Categories: 4,
		Users: 3, UserFeatureCardinality: []int{2, 3},
		Words: 5, QueryWords: []int32{0, 1, -1, 4, -1, -1, 2, 3, 4}, QueryLen: []int32{2, 1, 3}, WordWidth: 3,
	}
}

func TestGradFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f, err := NewFeatures("emb", tinyVocabulary(), FeatureConfig{Dim: 3, FieldDim: 2, CategoryLevels: 2}, rng)
	if err != nil {
		t.Fatal(err)
	}
	// Scale the tables up from Xavier's small values so that the tanh is in its curved range.
	for _, p := range f.Params() {
		for i := range p.Value.Data {
			p.Value.Data[i] *= 3
		}
	}
	fn := func(tape *nn.Tape) *nn.Var {
		items := f.Items(tape, []int32{3, 0, 2, 1, 0})
		users := f.UsersWith(tape, []int32{2, 0}, []int32{1, -1, 0, 2})
		queries := f.Queries(tape, []int32{2, 0, 1})
		return nn.Concat(0, items, users, queries)
	}
	if _, err := nn.GradCheck(fn, f.Params(), nn.GradCheckConfig{Tol: gradTol}); err != nil {
		t.Fatal(err)
	}
}

func TestFeaturesShareCategories(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	f, err := NewFeatures("emb", tinyVocabulary(), FeatureConfig{Dim: 3, FieldDim: 2, CategoryLevels: 2}, rng)
	if err != nil {
		t.Fatal(err)
	}
	// With the item-id table zeroed, items 0 and 1 differ only by their second category level.
	clear(f.ItemID.Weight.Value.Data)
	tape := nn.NewTape(1)
	got := f.Items(tape, []int32{0, 1, 3}).Data()
	if got[0] == got[3] && got[1] == got[4] && got[2] == got[5] {
		t.Errorf("items 0 and 1 with different second-level categories embed alike: %v", got[:6])
	}
	clear(f.Categories[1].Weight.Value.Data)
	got = f.Items(nn.NewTape(1), []int32{0, 1, 3}).Data()
	for j := range 3 {
		if got[j] != got[3+j] {
			t.Fatalf("items 0 and 1 share their first level and ids are zero, yet embed %v and %v", got[:3], got[3:6])
		}
	}
}

func TestNewFeaturesErrors(t *testing.T) {
	v := tinyVocabulary()
	v.ItemCategories = v.ItemCategories[:2]
	if _, err := NewFeatures("emb", v, UniSARFeatures(), rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("2 category paths for 4 items: no error")
	}
	if _, err := NewFeatures("emb", tinyVocabulary(), FeatureConfig{Dim: 0, FieldDim: 2}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("dim 0: no error")
	}
}
