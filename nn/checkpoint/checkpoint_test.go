package checkpoint

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// model returns the fixture parameters: a dense weight, a row-sparse table and a bias, filled
// from seed. Special values (NaN payload, -0, ±Inf, subnormal) check bit-exact round trips.
func model(seed uint64) []*nn.Param {
	rng := rand.New(rand.NewPCG(seed, 3))
	mk := func(name string, shape ...int) *nn.Param {
		p := &nn.Param{Name: name, Value: nn.NewTensor(shape...), Grad: nn.NewTensor(shape...), Decay: true}
		for i := range p.Value.Data {
			p.Value.Data[i] = float32(rng.NormFloat64())
		}
		return p
	}
	w := mk("encoder.linear.weight", 2, 3)
	w.Value.Data[0] = math.Float32frombits(0x7fc00123)
	w.Value.Data[1] = float32(math.Copysign(0, -1))
	w.Value.Data[2] = float32(math.Inf(-1))
	w.Value.Data[3] = math.Float32frombits(1)
	emb := mk("item_emb.weight", 4, 2)
	emb.RowSparse = true
	b := mk("encoder.linear.bias", 3)
	b.Decay = false
	return []*nn.Param{w, emb, b}
}

// adamState runs two Adam steps on params and returns the optimizer's state.
func adamState(t testing.TB, params []*nn.Param) *optim.State {
	t.Helper()
	a, err := optim.NewAdam(params, optim.DefaultAdamConfig())
	if err != nil {
		t.Fatalf("NewAdam: %v", err)
	}
	for s := range 2 {
		for _, p := range params {
			for i := range p.Grad.Data {
				p.Grad.Data[i] = float32(s+i) * 0.1
			}
		}
		params[1].Rows = []int32{1, 3}
		if err := a.Step(); err != nil {
			t.Fatalf("Step: %v", err)
		}
	}
	return a.State()
}

func contents(t testing.TB, params []*nn.Param) Contents {
	return Contents{
		Epoch:     7,
		Step:      1234,
		RNG:       []byte{1, 2, 3, 4, 5},
		Extra:     map[string][]byte{"plateau": []byte(`{"Best":0.3}`), "empty": {}},
		Optimizer: adamState(t, params),
	}
}

func bitsOf(params []*nn.Param) [][]uint32 {
	out := make([][]uint32, len(params))
	for i, p := range params {
		for _, v := range p.Value.Data {
			out[i] = append(out[i], math.Float32bits(v))
		}
	}
	return out
}

// exact compares float32 values by their bits, so NaN payloads and -0 must survive, and
// treats a nil and an empty blob as equal, because the format stores both as length 0.
var exact = []cmp.Option{
	cmp.Comparer(func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }),
	cmpopts.EquateEmpty(),
}

func save(t *testing.T, params []*nn.Param, c Contents) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.ckpt")
	if err := Save(path, params, c); err != nil {
		t.Fatalf("Save: %v", err)
	}
	return path
}

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opt  bool
	}{{"with optimizer", true}, {"without optimizer", false}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := model(1)
			want := contents(t, src)
			if !c.opt {
				want.Optimizer = nil
			}
			path := save(t, src, want)

			dst := model(2)
			got, err := Load(path, dst, LoadOptions{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(bitsOf(src), bitsOf(dst)); diff != "" {
				t.Errorf("parameter bits differ (-saved +loaded):\n%s", diff)
			}
			if diff := cmp.Diff(want, got.Contents, exact...); diff != "" {
				t.Errorf("contents differ (-saved +loaded):\n%s", diff)
			}
			if len(got.Skipped) != 0 {
				t.Errorf("Skipped = %v, want none", got.Skipped)
			}
		})
	}
}

func TestSaveDeterministic(t *testing.T) {
	params := model(1)
	c := contents(t, params)
	a, b := save(t, params, c), save(t, params, c)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !slices.Equal(da, db) {
		t.Errorf("two saves of the same state differ")
	}
}

func TestSaveAtomic(t *testing.T) {
	params := model(1)
	path := save(t, params, Contents{Epoch: 1})
	before, _ := os.ReadFile(path)

	bad := append(model(1), nil)
	if err := Save(path, bad, Contents{Epoch: 2}); err == nil {
		t.Fatalf("Save accepted a nil parameter")
	}
	after, _ := os.ReadFile(path)
	if !slices.Equal(before, after) {
		t.Errorf("a failed Save changed the existing file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after saves, want only the checkpoint", len(entries))
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want 0644", info.Mode().Perm())
	}
}

func TestSaveErrors(t *testing.T) {
	dup := model(1)
	dup[2].Name = dup[0].Name
	short := model(1)
	short[0].Value.Data = short[0].Value.Data[:2]
	cases := []struct {
		name   string
		params []*nn.Param
		c      Contents
		want   string
	}{
		{"duplicate", dup, Contents{}, `"encoder.linear.weight" appears twice`},
		{"short data", short, Contents{}, `"encoder.linear.weight" has shape [2 3] but 2 values`},
		{"long key", model(1), Contents{Extra: map[string][]byte{strings.Repeat("k", 70000): nil}}, "extra key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.ckpt")
			err := Save(path, c.params, c.c)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("Save error = %v, want one naming %s and containing %q", err, path, c.want)
			}
			if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
				t.Errorf("a failed Save created %s", path)
			}
		})
	}
}

// TestLoadDamaged checks that each kind of damage gives its error, names the file and leaves
// the model untouched.
func TestLoadDamaged(t *testing.T) {
	src := model(1)
	path := save(t, src, contents(t, src))
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := slices.Clone(good)
		b[i] ^= 0x10
		return b
	}
	cases := []struct {
		name string
		data []byte
		want error
		text string
	}{
		{"truncated", good[:len(good)-100], ErrTruncated, "the write was interrupted"},
		{"truncated header", good[:10], ErrTruncated, "fewer than"},
		{"empty", nil, ErrTruncated, "has 0 bytes"},
		{"flipped value byte", flip(len(good) / 2), ErrCorrupt, "CRC-32C"},
		{"flipped trailer", flip(len(good) - 1), ErrCorrupt, "CRC-32C"},
		{"flipped metadata byte", flip(headerLen + 8 + 8 + 4 + 5), ErrCorrupt, "CRC-32C"},
		{"trailing data", append(slices.Clone(good), 0), ErrCorrupt, "trailing data"},
		{"magic", flip(0), ErrNotCheckpoint, "instead of"},
		{"version", flip(len(magic)), ErrVersion, "version 17"},
		{"not a checkpoint", []byte("epoch,loss\n1,0.5\n2,0.4\n"), ErrNotCheckpoint, "does not start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "damaged.ckpt")
			if err := os.WriteFile(bad, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			dst := model(2)
			before := bitsOf(dst)
			_, err := Load(bad, dst, LoadOptions{})
			if !errors.Is(err, c.want) {
				t.Fatalf("Load error = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), c.text) {
				t.Errorf("Load error %q should name %s and contain %q", err, bad, c.text)
			}
			if diff := cmp.Diff(before, bitsOf(dst)); diff != "" {
				t.Errorf("a failed Load changed the model:\n%s", diff)
			}
		})
	}
}

func TestLoadMismatch(t *testing.T) {
	src := model(1)
	path := save(t, src, Contents{})
	wider := model(2)
	wider[1].Value = nn.NewTensor(4, 3)
	renamed := model(2)
	renamed[2].Name = "decoder.bias"
	fewer := model(2)[:2]
	cases := []struct {
		name   string
		params []*nn.Param
		text   []string
	}{
		{"wrong shape", wider, []string{`"item_emb.weight"`, "shape [4 2] in the file", "expects [4 3]"}},
		{"missing param", renamed, []string{`"decoder.bias" is not in the file`}},
		{"unknown param", fewer, []string{`1 parameters the model lacks ("encoder.linear.bias")`, "Partial"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := bitsOf(c.params[:1])
			_, err := Load(path, c.params, LoadOptions{})
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("Load error = %v, want ErrMismatch", err)
			}
			for _, s := range append(c.text, path) {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Load error %q does not contain %q", err, s)
				}
			}
			if diff := cmp.Diff(before, bitsOf(c.params[:1])); diff != "" {
				t.Errorf("a failed Load changed the model:\n%s", diff)
			}
		})
	}
}

func TestLoadPartial(t *testing.T) {
	src := model(1)
	path := save(t, src, Contents{Epoch: 3})
	dst := model(2)[:2]
	got, err := Load(path, dst, LoadOptions{Partial: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff([]string{"encoder.linear.bias"}, got.Skipped); diff != "" {
		t.Errorf("Skipped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(bitsOf(src[:2]), bitsOf(dst)); diff != "" {
		t.Errorf("loaded values differ:\n%s", diff)
	}
	missing := model(2)
	missing[0].Name = "other"
	if _, err := Load(path, missing, LoadOptions{Partial: true}); !errors.Is(err, ErrMismatch) {
		t.Errorf("Partial load with a missing parameter: error = %v, want ErrMismatch", err)
	}
}

// TestResumeAdam checks that a run resumed from a checkpoint continues bit-identically.
func TestResumeAdam(t *testing.T) {
	step := func(a *optim.Adam, params []*nn.Param, s int) {
		optim.ZeroGrad(params)
		for _, p := range params {
			for i := range p.Grad.Data {
				p.Grad.Data[i] = float32(math.Sin(float64(s*31 + i)))
			}
		}
		params[1].Rows = []int32{int32(s % 4)}
		if err := a.Step(); err != nil {
			t.Fatalf("Step: %v", err)
		}
	}
	orig := model(1)
	a, _ := optim.NewAdam(orig, optim.DefaultAdamConfig())
	for s := range 3 {
		step(a, orig, s)
	}
	path := save(t, orig, Contents{Optimizer: a.State()})

	resumed := model(9)
	b, _ := optim.NewAdam(resumed, optim.DefaultAdamConfig())
	got, err := Load(path, resumed, LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := b.SetState(got.Optimizer); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	for s := 3; s < 6; s++ {
		step(a, orig, s)
		step(b, resumed, s)
	}
	if diff := cmp.Diff(bitsOf(orig), bitsOf(resumed)); diff != "" {
		t.Errorf("resumed run differs (-original +resumed):\n%s", diff)
	}
}

func TestSaveMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "model.ckpt")
	err := Save(path, model(1), Contents{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Save error = %v, want a not-exist error naming %s", err, path)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.ckpt")
	_, err := Load(path, model(1), LoadOptions{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load error = %v, want a not-exist error naming %s", err, path)
	}
}
