package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/srbench/srbench/datasets/prep"
)

// Key identifies the inputs a cache file was built from: a SHA-256 over the source fingerprint
// and the preprocessing options (seed included).
type Key [sha256.Size]byte

// String returns the key in hexadecimal.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// NewKey returns the key of a dataset built from a source with the given fingerprint (see
// FileFingerprint, or a generator config's canonical text) and prepared with opts.
func NewKey(source []byte, opts prep.Options) Key {
	h := sha256.New()
	fmt.Fprintf(h, "srbench cache key v1\nsource %d\n", len(source))
	h.Write(source)
	h.Write([]byte("\noptions\n"))
	h.Write(opts.Fingerprint())
	var k Key
	h.Sum(k[:0])
	return k
}

// FileFingerprint hashes the base name and the whole content of each file, in the given order,
// so a key changes when any source file changes. It returns an error naming the file that
// cannot be read.
func FileFingerprint(paths ...string) ([]byte, error) {
	h := sha256.New()
	for _, path := range paths {
		if err := hashFile(h, path); err != nil {
			return nil, err
		}
	}
	return h.Sum(nil), nil
}

func hashFile(h io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cache fingerprint: %w", err)
	}
	defer f.Close()
	fmt.Fprintf(h, "file %s\n", filepath.Base(path))
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("cache fingerprint: read %s: %w", path, err)
	}
	fmt.Fprintf(h, "\nsize %d\n", n)
	return nil
}
