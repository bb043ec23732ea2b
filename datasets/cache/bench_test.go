package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/srbench/srbench/datasets/prep"
	"github.com/srbench/srbench/datasets/synthetic"
)

func benchStoreLoad(b *testing.B, size string) {
	cfg, err := synthetic.Preset(synthetic.ShapeKuaiSAR, size)
	if err != nil {
		b.Fatal(err)
	}
	ds, err := synthetic.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	p, err := prep.Prepare(ds, prep.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "bench.cache")
	var store, load time.Duration
	for b.Loop() {
		start := time.Now()
		if err := Store(path, testKey, p); err != nil {
			b.Fatal(err)
		}
		store += time.Since(start)
		start = time.Now()
		if _, err := Load(path, testKey); err != nil {
			b.Fatal(err)
		}
		load += time.Since(start)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(store.Seconds()/float64(b.N), "store-s/op")
	b.ReportMetric(load.Seconds()/float64(b.N), "load-s/op")
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
}

// BenchmarkStoreLoad stores and loads the default kuaisar preset (2,000 users, about 200,000
// behaviours).
func BenchmarkStoreLoad(b *testing.B) { benchStoreLoad(b, synthetic.SizeDefault) }

// BenchmarkStoreLoadFull stores and loads the full-scale kuaisar preset (about 19.7 M
// behaviours). It needs several GB of memory because the prepared data and its loaded copy
// are both held. Run it alone with -benchtime 1x.
func BenchmarkStoreLoadFull(b *testing.B) { benchStoreLoad(b, synthetic.SizeFull) }
