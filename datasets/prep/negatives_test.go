package prep

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/synthetic"
)

func tinySynthetic(t *testing.T, shape string) *datasets.Dataset {
	t.Helper()
	cfg, err := synthetic.Preset(shape, synthetic.SizeTiny)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestComplementAt(t *testing.T) {
	interacted := []int32{0, 1, 4, 7, 8}
	var want []int32
	for i := int32(0); i < 12; i++ {
		if !slices.Contains(interacted, i) {
			want = append(want, i)
		}
	}
	for r, w := range want {
		if got := complementAt(interacted, r); got != w {
			t.Errorf("complementAt(%d) = %d, want %d", r, got, w)
		}
	}
}

// TestNegativesUniform draws 3 of the 6 free items 30,000 times. Each free item must appear with
// probability 1/2: with 30,000 draws the standard deviation of a count is about 87, and the
// test allows 5 of them.
func TestNegativesUniform(t *testing.T) {
	interacted := []int32{1, 3, 5, 6}
	const numItems, k, draws = 10, 3, 30000
	counts := make(map[int32]int)
	src := rand.NewPCG(7, 8)
	var dst []int32
	for range draws {
		dst = appendNegatives(dst[:0], src, interacted, numItems, k)
		if len(dst) != k {
			t.Fatalf("drew %d items, want %d", len(dst), k)
		}
		for i, v := range dst {
			if slices.Contains(interacted, v) || v < 0 || v >= numItems {
				t.Fatalf("drew item %d, which is interacted or out of range", v)
			}
			if slices.Contains(dst[:i], v) {
				t.Fatalf("drew item %d twice in %v", v, dst)
			}
			counts[v]++
		}
	}
	mean := float64(draws) * k / float64(numItems-len(interacted))
	sd := math.Sqrt(float64(draws) * 0.5 * 0.5)
	for _, v := range []int32{0, 2, 4, 7, 8, 9} {
		if math.Abs(float64(counts[v])-mean) > 5*sd {
			t.Errorf("item %d drawn %d times, want %.0f ± %.0f", v, counts[v], mean, 5*sd)
		}
	}
}

func TestCandidateProperties(t *testing.T) {
	for _, shape := range []string{synthetic.ShapeKuaiSAR, synthetic.ShapeAmazon} {
		t.Run(shape, func(t *testing.T) {
			ds := tinySynthetic(t, shape)
			p := mustPrepare(t, ds, DefaultOptions())
			if p.Report.KeptUsers < 100 {
				t.Fatalf("only %d users kept", p.Report.KeptUsers)
			}
			for k := range 2 {
				for _, split := range []Split{Valid, Test} {
					for i, s := range p.Tasks[k].Samples(split) {
						checkCandidates(t, p, s, p.Candidates(datasets.Kind(k), split, i))
					}
				}
			}
		})
	}
}

func checkCandidates(t *testing.T, p *Prepared, s Sample, cands []int32) {
	t.Helper()
	if len(cands) != 100 || cands[0] != s.Target {
		t.Fatalf("sample %+v: %d candidates with first %d, want 100 with the positive first", s, len(cands), cands[0])
	}
	touched := make(map[int32]bool)
	for _, b := range p.Dataset.Users[s.User].Stream {
		touched[b.Item] = true
		for _, c := range b.Clicks {
			touched[c] = true
		}
	}
	seen := make(map[int32]bool)
	for _, c := range cands[1:] {
		if touched[c] {
			t.Fatalf("sample %+v: negative %d was interacted", s, c)
		}
		if seen[c] {
			t.Fatalf("sample %+v: negative %d repeated", s, c)
		}
		seen[c] = true
	}
}

func TestCandidatesSeeded(t *testing.T) {
	ds := tinySynthetic(t, synthetic.ShapeKuaiSAR)
	opts := DefaultOptions()
	a := mustPrepare(t, ds, opts)
	opts.Workers = 1
	b := mustPrepare(t, ds, opts)
	if diff := cmp.Diff(a.Tasks, b.Tasks); diff != "" {
		t.Errorf("same seed, 1 worker vs all: tasks differ:\n%s", diff)
	}
	if diff := cmp.Diff(a.Report, b.Report); diff != "" {
		t.Errorf("same seed: reports differ:\n%s", diff)
	}
	opts.Seed = 2
	c := mustPrepare(t, ds, opts)
	for k := range 2 {
		same := 0
		n := len(a.Tasks[k].TestCandidates) / 100
		for i := range n {
			if slices.Equal(a.Candidates(datasets.Kind(k), Test, i), c.Candidates(datasets.Kind(k), Test, i)) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("kind %d: %d of %d test candidate groups unchanged by another seed", k, same, n)
		}
		if diff := cmp.Diff(a.Tasks[k].Test, c.Tasks[k].Test); diff != "" {
			t.Errorf("kind %d: the seed changed the test samples:\n%s", k, diff)
		}
	}
}

func TestTrainNegatives(t *testing.T) {
	ds := tinySynthetic(t, synthetic.ShapeKuaiSAR)
	p := mustPrepare(t, ds, DefaultOptions())
	train := p.Tasks[datasets.Rec].Train
	changed := 0
	for _, s := range train[:500] {
		e0 := p.TrainNegatives(s, 0, nil)
		again := p.TrainNegatives(s, 0, nil)
		e1 := p.TrainNegatives(s, 1, nil)
		if !slices.Equal(e0, again) {
			t.Fatalf("sample %+v epoch 0: %v then %v", s, e0, again)
		}
		if !slices.Equal(e0, e1) {
			changed++
		}
		inter := p.Interacted(int(s.User))
		for i, v := range e0 {
			if _, found := slices.BinarySearch(inter, v); found || slices.Contains(e0[:i], v) {
				t.Fatalf("sample %+v: negatives %v repeat or hit interacted items", s, e0)
			}
		}
		if len(e0) != 4 {
			t.Fatalf("sample %+v: %d negatives, want 4", s, len(e0))
		}
	}
	if changed < 490 {
		t.Errorf("only %d of 500 samples got new negatives in epoch 1", changed)
	}
}
