package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/srbench/srbench/datasets/source"
)

// dataStore prepares each distinct dataset once and shares it between the runs that use it.
// It drops its reference when the last of those runs is done, so the memory can be freed.
type dataStore struct {
	cacheDir string
	mu       sync.Mutex
	entries  map[string]*dataEntry
}

type dataEntry struct {
	once    sync.Once
	data    *source.Prepared
	err     error
	pending int // runs that have not released the entry yet
}

func newDataStore(cacheDir string, runs []Run) (*dataStore, error) {
	s := &dataStore{cacheDir: cacheDir, entries: map[string]*dataEntry{}}
	for _, r := range runs {
		key, err := dataKey(r)
		if err != nil {
			return nil, err
		}
		if s.entries[key] == nil {
			s.entries[key] = &dataEntry{}
		}
		s.entries[key].pending++
	}
	return s, nil
}

// dataKey identifies the prepared data of a run: its resolved data and prep sections.
func dataKey(r Run) (string, error) {
	blob, err := json.Marshal([]any{r.Config.Values["data"], r.Config.Values["prep"]})
	if err != nil {
		return "", fmt.Errorf("data key of run %s: %w", r.ID, err)
	}
	sum := sha256.Sum256(blob)
	return hex.EncodeToString(sum[:]), nil
}

// get returns the prepared data of r, preparing it on the first call for its key. Concurrent
// callers with the same key wait for that one preparation.
func (s *dataStore) get(r Run) (*source.Prepared, error) {
	e, err := s.entry(r)
	if err != nil {
		return nil, err
	}
	e.once.Do(func() {
		e.data, e.err = source.Prepare(r.Config.Spec, r.Config.Prep, s.cacheDir)
	})
	return e.data, e.err
}

// release marks r as done with its data; the last release drops the reference.
func (s *dataStore) release(r Run) {
	e, err := s.entry(r)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.pending--
	if e.pending <= 0 {
		e.data = nil
	}
}

func (s *dataStore) entry(r Run) (*dataEntry, error) {
	key, err := dataKey(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[key]
	if e == nil {
		return nil, fmt.Errorf("runner: run %s was not planned with this data store", r.ID)
	}
	return e, nil
}
