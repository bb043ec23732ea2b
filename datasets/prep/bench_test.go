package prep

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/synthetic"
)

// peakRSSMiB returns the process's peak resident set (VmHWM in /proc/self/status) in MiB, or -1
// where /proc is unavailable.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}

// BenchmarkFullScale generates the kuaisar preset at KuaiSAR's full scale (25,877 users, about
// 19.7 M behaviours) and prepares it. Run it alone, once:
//
//	go test -run '^$' -bench FullScale -benchtime 1x ./datasets/prep
//
// peak-MiB is the process's peak RSS, so it is only meaningful as the sole benchmark run.
func BenchmarkFullScale(b *testing.B) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeFull)
	if err != nil {
		b.Fatal(err)
	}
	var p *Prepared
	for b.Loop() {
		ds, err := synthetic.Generate(cfg)
		if err != nil {
			b.Fatal(err)
		}
		p, err = Prepare(ds, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(peakRSSMiB(), "peak-MiB")
	b.ReportMetric(float64(p.Report.Behaviors[0]+p.Report.Behaviors[1]), "behaviours")
	b.ReportMetric(float64(p.Report.Kept[0]+p.Report.Kept[1]), "samples")
}

// BenchmarkBuildTrain builds training batches of 1024 search samples, with negatives, from the
// default kuaisar preset.
func BenchmarkBuildTrain(b *testing.B) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, synthetic.SizeDefault)
	if err != nil {
		b.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Prepare(ds, DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	samples := p.Tasks[datasets.Search].Train
	const size = 1024
	bb := NewBatchBuilder(p, size)
	indices := make([]int, size)
	start := 0
	for b.Loop() {
		for i := range indices {
			indices[i] = (start + i) % len(samples)
		}
		start += size
		bb.BuildTrain(samples, indices, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/size, "ns/sample")
}
