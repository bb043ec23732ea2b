package checkpoint

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// refreshCorpusEnv names the environment variable that rewrites the seed corpus under
// testdata/fuzz/FuzzLoad from the current format.
const refreshCorpusEnv = "SRBENCH_REFRESH_FUZZ_CORPUS"

// reframe returns data with a header length and CRC trailer that fit its body, so the fuzzer
// reaches the body parser instead of stopping at the checksum.
func reframe(data []byte) []byte {
	if len(data) < headerLen+trailerLen {
		return data
	}
	out := append([]byte(nil), data...)
	binary.LittleEndian.PutUint64(out[len(magic)+4:], uint64(len(out)-headerLen-trailerLen))
	sum := crc32.Checksum(out[:len(out)-trailerLen], castagnoli)
	binary.LittleEndian.PutUint32(out[len(out)-trailerLen:], sum)
	return out
}

// FuzzLoad feeds arbitrary bytes to the loader, both as they are and reframed with a valid
// length and checksum. The loader must return a value or an error, never panic, and a
// successful load must fill every parameter.
func FuzzLoad(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte(magic), true)
	f.Fuzz(func(t *testing.T, data []byte, fix bool) {
		if fix {
			data = reframe(data)
		}
		params := model(1)
		for _, p := range params {
			clear(p.Value.Data)
		}
		got, err := decode("fuzz.ckpt", data, params, LoadOptions{Partial: true})
		if err != nil {
			if got != nil {
				t.Errorf("decode returned contents with error %v", err)
			}
			return
		}
		if got == nil {
			t.Fatalf("decode returned neither contents nor error")
		}
	})
}

// TestRefreshFuzzCorpus rewrites the seed corpus when refreshCorpusEnv is set: a valid
// checkpoint of the fixture model with and without optimizer state, and damaged copies.
func TestRefreshFuzzCorpus(t *testing.T) {
	if os.Getenv(refreshCorpusEnv) == "" {
		t.Skipf("set %s=1 to rewrite testdata/fuzz/FuzzLoad", refreshCorpusEnv)
	}
	params := model(1)
	full := contents(t, params)
	seeds := map[string]struct {
		c   Contents
		cut int
		fix bool
	}{
		"valid-optimizer": {c: full},
		"valid-plain":     {c: Contents{Epoch: 2}},
		"truncated":       {c: full, cut: 40},
		"reframed-cut":    {c: full, cut: 40, fix: true},
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzLoad")
	for name, s := range seeds {
		path := filepath.Join(t.TempDir(), "seed.ckpt")
		if err := Save(path, params, s.c); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data = data[:len(data)-s.cut]
		entry := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(%v)\n", data, s.fix)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(entry), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFuzzCorpusLoads checks that the valid seeds still load, so a format change made without
// refreshing the corpus fails here.
func TestFuzzCorpusLoads(t *testing.T) {
	for _, name := range []string{"valid-optimizer", "valid-plain"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzLoad", name))
		if err != nil {
			t.Fatalf("reading seed %s: %v; run with %s=1 to create it", name, err, refreshCorpusEnv)
		}
		var data []byte
		if _, err := fmt.Sscanf(string(raw), "go test fuzz v1\n[]byte(%q)\n", &data); err != nil {
			t.Fatalf("parsing seed %s: %v", name, err)
		}
		if _, err := decode(name, data, model(1), LoadOptions{}); err != nil {
			t.Errorf("seed %s no longer loads: %v; run with %s=1 to refresh the corpus", name, err, refreshCorpusEnv)
		}
	}
}
