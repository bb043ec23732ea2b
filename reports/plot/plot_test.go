package plot

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	gonumplot "gonum.org/v1/plot"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/reports"
	"github.com/srbench/srbench/reports/internal/fixture"
	"github.com/srbench/srbench/results"
)

var ndcg5 = protocol.Metric{Name: protocol.NDCG, K: 5}

// sweepGroups builds DHIM runs over gamma in {0, 1e-4, 1e-3, 1e-2} with 3 seeds; at gamma g
// with index i and seed s the recommendation hits are 20+5i+s-2 of 100 and the search hits
// 50+i.
func sweepGroups(t *testing.T) []*reports.Group {
	t.Helper()
	var records []*results.Record
	for i, gamma := range []float64{0, 1e-4, 1e-3, 1e-2} {
		for seed := uint64(1); seed <= 3; seed++ {
			records = append(records, fixture.Record(fixture.Run{Experiment: "sweep-gamma", Model: "dhim", Label: "DHIM", Joint: true,
				Dataset: "k", Family: "KuaiSAR", Seed: seed, Sweep: map[string]float64{"gamma": gamma},
				Rec: fixture.Hits(100, 20+5*i+int(seed)-2), Search: fixture.Hits(100, 50+i),
				Curves: map[string][]float64{"rec": []float64{0.1, 0.2, 0.25}[:1+int(seed)%3], "search": {0.3, 0.4}}}))
		}
	}
	groups, _, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	return groups
}

func TestSweepPoints(t *testing.T) {
	groups := sweepGroups(t)
	if got := SweepParams(groups); len(got) != 1 || got[0] != "gamma" {
		t.Fatalf("SweepParams = %q, want [gamma]", got)
	}
	fig, err := Sweep(groups, "gamma", ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 2 || fig.Panels[0].Title != "Recommendation" || !fig.Panels[0].LogX {
		t.Fatalf("panels %+v, want Recommendation and Search on log axes", fig.Panels)
	}
	series := fig.Panels[0].Series
	if len(series) != 1 || len(series[0].Points) != 4 {
		t.Fatalf("series %+v, want one line of 4 points", series)
	}
	for i, pt := range series[0].Points {
		wantMean := float64(20+5*i) / 100
		if math.Abs(pt.Mean-wantMean) > 1e-12 || math.Abs(pt.Std-0.01) > 1e-12 || pt.N != 3 {
			t.Errorf("point %d = %+v, want mean %v, std 0.01, N 3", i, pt, wantMean)
		}
	}
	if series[0].Points[0].X != 0 {
		t.Errorf("first point at x %v, want 0", series[0].Points[0].X)
	}
}

func TestSweepUnknownParam(t *testing.T) {
	if _, err := Sweep(sweepGroups(t), "k_rec", ndcg5); err == nil || !strings.Contains(err.Error(), `"gamma"`) {
		t.Errorf("error %v, want one listing the swept parameters", err)
	}
}

func TestSweepLinearAxis(t *testing.T) {
	var records []*results.Record
	for _, k := range []float64{1, 2, 4, 8} {
		records = append(records, fixture.Record(fixture.Run{Model: "dhim", Label: "DHIM", Dataset: "k", Seed: 1,
			Sweep: map[string]float64{"k_rec": k, "k_search": 2}, Rec: fixture.Hits(10, 3)}))
	}
	groups, _, err := reports.GroupRuns(records)
	if err != nil {
		t.Fatal(err)
	}
	fig, err := Sweep(groups, "k_rec", ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 1 || fig.Panels[0].LogX {
		t.Errorf("panels %+v, want one linear panel (no search results)", fig.Panels)
	}
	if got := fig.Panels[0].Series[0].Label; got != "DHIM k_search=2 on k" {
		t.Errorf("line label %q", got)
	}
}

func TestZeroTickOnLogAxis(t *testing.T) {
	fig, err := Sweep(sweepGroups(t), "gamma", ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	p := gonumplot.New()
	zeroAt := setLogAxis(p, fig.Panels[0])
	if math.Abs(zeroAt-1e-5) > 1e-18 {
		t.Errorf("zero drawn at %v, want 1e-5 (one decade below 1e-4)", zeroAt)
	}
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	if len(ticks) == 0 || ticks[0].Label != "0" || ticks[0].Value != zeroAt {
		t.Errorf("ticks %+v, want the first labelled 0 at %v", ticks, zeroAt)
	}
}

func TestLearningCurves(t *testing.T) {
	figs, err := LearningCurves(sweepGroups(t), ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 1 || figs[0].Name != "curves-k" || len(figs[0].Panels) != 2 {
		t.Fatalf("figures %+v, want one for dataset k with 2 panels", figs)
	}
	rec := figs[0].Panels[0].Series[0]
	// Seeds 1, 2 and 3 ran 2, 3 and 1 epochs: epoch 1 has 3 values, epoch 2 two, epoch 3 one.
	want := []Point{{1, 0.1, 0, 3}, {2, 0.2, 0, 2}, {3, 0.25, 0, 1}}
	if len(rec.Points) != len(want) {
		t.Fatalf("points %+v, want %+v", rec.Points, want)
	}
	for i, pt := range rec.Points {
		if pt.X != want[i].X || math.Abs(pt.Mean-want[i].Mean) > 1e-12 || pt.N != want[i].N {
			t.Errorf("point %d = %+v, want %+v", i, pt, want[i])
		}
	}
}

func TestWriteDecodes(t *testing.T) {
	dir := t.TempDir()
	groups := sweepGroups(t)
	sweep, err := Sweep(groups, "gamma", ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	curves, err := LearningCurves(groups, ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	for _, fig := range append([]*Figure{sweep}, curves...) {
		paths, err := Write(fig, dir)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s does not decode as PNG: %v", paths[0], err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("%s is %dx%d pixels", paths[0], b.Dx(), b.Dy())
		}
		svg, err := os.ReadFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("</svg>")) {
			t.Errorf("%s is not an SVG document", paths[1])
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("directory holds %d files, want 4 (no temporary files)", len(entries))
	}
}

func TestWriteReproducible(t *testing.T) {
	fig, err := Sweep(sweepGroups(t), "gamma", ndcg5)
	if err != nil {
		t.Fatal(err)
	}
	var svgs [2][]byte
	for i := range svgs {
		dir := t.TempDir()
		paths, err := Write(fig, dir)
		if err != nil {
			t.Fatal(err)
		}
		if svgs[i], err = os.ReadFile(paths[1]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(svgs[0], svgs[1]) {
		t.Error("the same figure gives different SVG files")
	}
}
