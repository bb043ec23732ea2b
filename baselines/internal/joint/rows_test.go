package joint

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
	"github.com/srbench/srbench/nn"
)

var tinyData = sync.OnceValues(func() (*prep.Prepared, error) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeTiny)
	if err != nil {
		return nil, err
	}
	cfg.Users = 60
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		return nil, err
	}
	return prep.Prepare(ds, prep.DefaultOptions())
})

// mixedBatch returns a batch of rec recommendation rows followed by search search rows of the
// tiny preset's training samples.
func mixedBatch(t *testing.T, rec, search int) *prep.Batch {
	t.Helper()
	data, err := tinyData()
	if err != nil {
		t.Fatal(err)
	}
	samples := append(data.Tasks[datasets.Rec].Train[:rec:rec], data.Tasks[datasets.Search].Train[:search]...)
	return prep.NewBatchBuilder(data, rec+search).Build(samples, nil)
}

// TestSelectRowsCopiesEveryField walks every slice field of prep.Batch by reflection, so a
// field added to the batch later fails here until SelectRows copies it.
func TestSelectRowsCopiesEveryField(t *testing.T) {
	full := mixedBatch(t, 5, 4)
	rows := []int32{7, 0, 3}
	sub := SelectRows(full, rows)
	if sub.Size != 3 || sub.Cap != 3 || sub.RecWidth != full.RecWidth || sub.MergedWidth != full.MergedWidth {
		t.Errorf("sizes: Size %d Cap %d RecWidth %d MergedWidth %d", sub.Size, sub.Cap, sub.RecWidth, sub.MergedWidth)
	}
	fv, sv := reflect.ValueOf(full).Elem(), reflect.ValueOf(sub).Elem()
	for i := range fv.NumField() {
		f := fv.Type().Field(i)
		if f.Type.Kind() != reflect.Slice {
			continue
		}
		src, dst := fv.Field(i), sv.Field(i)
		width := src.Len() / full.Cap
		if width == 0 {
			continue // Negatives of an evaluation batch
		}
		if dst.Len() != len(rows)*width {
			t.Errorf("%s has %d elements, want %d rows × %d", f.Name, dst.Len(), len(rows), width)
			continue
		}
		for k, r := range rows {
			for j := range width {
				got, want := dst.Index(k*width+j).Interface(), src.Index(int(r)*width+j).Interface()
				if got != want {
					t.Errorf("%s row %d (batch row %d) element %d = %v, want %v", f.Name, k, r, j, got, want)
				}
			}
		}
	}
}

func TestScoreInChunksRoutesRows(t *testing.T) {
	batch := mixedBatch(t, 100, 50)
	candidates := make([][]int32, batch.Size)
	scores := make([][]float32, batch.Size)
	for r := range candidates {
		candidates[r] = []int32{int32(r), int32(r + 1000)}
		scores[r] = make([]float32, 2)
	}
	calls := 0
	err := ScoreInChunks(nn.NewTape(1), batch, candidates, scores, func(_ *nn.Tape, chunk *prep.Batch, cands [][]int32, out [][]float32) error {
		calls++
		if chunk.Size > ScoreChunkRows {
			t.Errorf("chunk of %d rows exceeds %d", chunk.Size, ScoreChunkRows)
		}
		for i := range chunk.Size {
			if chunk.Kind[i] != chunk.Kind[0] {
				t.Errorf("chunk mixes task codes %d and %d", chunk.Kind[0], chunk.Kind[i])
			}
			// Score with the chunk row's user and query, so a misrouted row shows.
			out[i][0] = float32(cands[i][0])*10 + float32(chunk.User[i]%10)
			out[i][1] = float32(chunk.Query[i])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 3 {
		t.Errorf("150 rows of two tasks were scored in %d chunks, want at least 3", calls)
	}
	for r := range batch.Size {
		want0 := float32(r)*10 + float32(batch.User[r]%10)
		if scores[r][0] != want0 || scores[r][1] != float32(batch.Query[r]) {
			t.Errorf("row %d scores %v, want [%v %v]", r, scores[r], want0, batch.Query[r])
		}
	}
}

func TestScoreInChunksWrapsError(t *testing.T) {
	batch := mixedBatch(t, 3, 0)
	candidates := [][]int32{{1}, {2}, {3}}
	scores := [][]float32{{0}, {0}, {0}}
	failure := errors.New("score of batch row 1 is NaN")
	err := ScoreInChunks(nn.NewTape(1), batch, candidates, scores, func(*nn.Tape, *prep.Batch, [][]int32, [][]float32) error {
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("error = %v, want the scorer's error wrapped", err)
	}
	if !strings.Contains(err.Error(), "scoring batch rows [") {
		t.Errorf("error %q does not list the batch rows of the chunk", err)
	}
}
