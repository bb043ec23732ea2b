// Package cache stores a prepared dataset (the dataset, its samples, splits and evaluation
// candidates) in one binary file, so that later runs skip loading and preprocessing.
//
// A file is: the magic "SRBCACHE", a format version (uint32), the 32-byte Key, the payload
// (flat little-endian arrays), then a trailer of the payload length (uint64) and a CRC-32C
// (Castagnoli) of everything before the trailer. A file whose version or key differs from the
// caller's is stale; one with a bad magic, length, checksum or content is corrupt. Either way
// LoadOrBuild logs the reason and rebuilds.
package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/srbench/srbench/datasets/prep"
)

// Version is the format version; files of another version are stale.
const Version uint32 = 1

const (
	magic       = "SRBCACHE"
	headerSize  = len(magic) + 4 + len(Key{})
	trailerSize = 8 + 4
)

var (
	// ErrStale marks a cache file written by another format version or for another key.
	ErrStale = errors.New("cache is stale")
	// ErrCorrupt marks a cache file that is truncated, fails its checksum or holds invalid data.
	ErrCorrupt = errors.New("cache is corrupt")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write encodes p under key to w in the cache format.
func Write(w io.Writer, key Key, p *prep.Prepared) error {
	crc := crc32.New(castagnoli)
	counter := &countingWriter{}
	e := newEncoder(io.MultiWriter(w, crc, counter))
	e.write([]byte(magic))
	binary.LittleEndian.PutUint32(e.small[:4], Version)
	e.write(e.small[:4])
	e.write(key[:])
	encodePrepared(e, p)
	if err := e.flush(); err != nil {
		return fmt.Errorf("cache write: %w", err)
	}
	var trailer [trailerSize]byte
	binary.LittleEndian.PutUint64(trailer[:8], uint64(counter.n-int64(headerSize)))
	binary.LittleEndian.PutUint32(trailer[8:], crc.Sum32())
	if _, err := w.Write(trailer[:]); err != nil {
		return fmt.Errorf("cache write: %w", err)
	}
	return nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// Read decodes a cache file of size bytes from r and checks it against key. It returns an error
// wrapping ErrStale for another version or key, and ErrCorrupt for anything damaged. The
// restored data is fully validated (see prep.Restore), so bad input never panics.
func Read(r io.Reader, size int64, key Key) (*prep.Prepared, error) {
	payload := size - int64(headerSize) - trailerSize
	if payload < 0 {
		return nil, fmt.Errorf("%w: %d bytes is shorter than header and trailer (%d)", ErrCorrupt, size, headerSize+trailerSize)
	}
	crc := crc32.New(castagnoli)
	body := io.TeeReader(io.LimitReader(r, int64(headerSize)+payload), crc)
	var header [headerSize]byte
	if _, err := io.ReadFull(body, header[:]); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrCorrupt, err)
	}
	if err := checkHeader(header[:], key); err != nil {
		return nil, err
	}
	d := newDecoder(body, payload)
	ds, opts, tasks, report := decodePrepared(d)
	if d.err == nil && d.remaining != 0 {
		d.fail("%d payload bytes left after decoding", d.remaining)
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, d.err)
	}
	var trailer [trailerSize]byte
	if _, err := io.ReadFull(r, trailer[:]); err != nil {
		return nil, fmt.Errorf("%w: trailer: %w", ErrCorrupt, err)
	}
	if n := binary.LittleEndian.Uint64(trailer[:8]); n != uint64(payload) {
		return nil, fmt.Errorf("%w: trailer gives payload length %d, file has %d", ErrCorrupt, n, payload)
	}
	if sum := binary.LittleEndian.Uint32(trailer[8:]); sum != crc.Sum32() {
		return nil, fmt.Errorf("%w: checksum %08x, computed %08x", ErrCorrupt, sum, crc.Sum32())
	}
	p, err := prep.Restore(ds, opts, tasks, report)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return p, nil
}

func checkHeader(h []byte, key Key) error {
	if string(h[:len(magic)]) != magic {
		return fmt.Errorf("%w: magic %q, want %q: not a cache file", ErrCorrupt, h[:len(magic)], magic)
	}
	if v := binary.LittleEndian.Uint32(h[len(magic):]); v != Version {
		return fmt.Errorf("%w: format version %d, want %d", ErrStale, v, Version)
	}
	if !bytes.Equal(h[len(magic)+4:], key[:]) {
		return fmt.Errorf("%w: key %x, want %s", ErrStale, h[len(magic)+4:], key)
	}
	return nil
}

// Store writes p under key to path atomically: into a temporary file in the same directory,
// synced, then renamed over path, so a reader never sees a partial file.
func Store(path string, key Key, p *prep.Prepared) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cache store: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("cache store: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Write(tmp, key, p); err != nil {
		return fmt.Errorf("cache store %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cache store %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cache store %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cache store: %w", err)
	}
	return nil
}

// Load reads the cache file at path and checks it against key. Errors wrap ErrStale,
// ErrCorrupt, or (for a missing file) fs.ErrNotExist.
func Load(path string, key Key) (*prep.Prepared, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cache load: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cache load: %w", err)
	}
	p, err := Read(f, info.Size(), key)
	if err != nil {
		return nil, fmt.Errorf("cache load %s: %w", path, err)
	}
	return p, nil
}

// LoadOrBuild returns the prepared dataset cached as dir/name.cache under key. When the file is
// missing, stale or corrupt, it logs the path and reason, calls build and stores the result.
// A failure to store is logged, and the built data is still returned.
func LoadOrBuild(dir, name string, key Key, build func() (*prep.Prepared, error)) (*prep.Prepared, error) {
	path := filepath.Join(dir, name+".cache")
	log := slog.Default().With("path", path)
	start := time.Now()
	p, err := Load(path, key)
	switch {
	case err == nil:
		log.Info("cache loaded", "elapsed", time.Since(start).Round(time.Millisecond))
		return p, nil
	case errors.Is(err, ErrStale):
		log.Info("cache is stale, rebuilding", "reason", err)
	case errors.Is(err, ErrCorrupt):
		log.Warn("cache is corrupt, rebuilding", "reason", err)
	case errors.Is(err, os.ErrNotExist):
		log.Info("no cache, building")
	default:
		log.Warn("cache unreadable, rebuilding", "reason", err)
	}
	p, err = build()
	if err != nil {
		return nil, err
	}
	start = time.Now()
	if err := Store(path, key, p); err != nil {
		log.Warn("cache not stored; the next run rebuilds", "err", err)
		return p, nil
	}
	log.Info("cache stored", "elapsed", time.Since(start).Round(time.Millisecond))
	return p, nil
}
