package checkpoint

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/srbench/srbench/nn"
)

// LoadOptions controls how strictly Load matches the file against the model.
type LoadOptions struct {
	// Partial allows parameters in the file that the model does not have; Load skips them
	// and lists them in Loaded.Skipped. Every model parameter must still be in the file.
	Partial bool
}

// Loaded is the result of Load: the checkpoint's contents and the names of skipped parameters.
type Loaded struct {
	Contents
	// Skipped lists, in file order, the file's parameters that the model does not have;
	// it is empty unless LoadOptions.Partial is set.
	Skipped []string
}

// Load reads the checkpoint at path into params and returns the rest of its contents. It
// verifies the magic bytes, format version, length and CRC-32C, then matches parameters by
// name. It changes no parameter unless every check passes: each model parameter must be in
// the file with the same shape, and the file may hold no other parameters unless
// opts.Partial is set. Errors name the file and the parameter and wrap ErrNotCheckpoint,
// ErrVersion, ErrTruncated, ErrCorrupt or ErrMismatch. The optimizer state is returned
// as stored; the optimizer's SetState checks it against the model.
func Load(path string, params []*nn.Param, opts LoadOptions) (*Loaded, error) {
	start := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: reading %s: %w", path, err)
	}
	loaded, err := decode(path, data, params, opts)
	if err != nil {
		return nil, err
	}
	slog.Info("loaded checkpoint", "path", path, "bytes", len(data), "params", len(params),
		"skipped", len(loaded.Skipped), "epoch", loaded.Epoch, "elapsed", time.Since(start).Round(time.Millisecond))
	return loaded, nil
}

// decode verifies data, the bytes of the file named path, and loads it into params.
func decode(path string, data []byte, params []*nn.Param, opts LoadOptions) (*Loaded, error) {
	if err := verifyFrame(path, data); err != nil {
		return nil, err
	}
	d := &decoder{data: data[:len(data)-trailerLen], off: headerLen}
	b, err := parseBody(d)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w: %w", path, ErrCorrupt, err)
	}
	skipped, err := match(path, b.params, params, opts)
	if err != nil {
		return nil, err
	}
	return &Loaded{Contents: b.contents, Skipped: skipped}, nil
}

// verifyFrame checks the header, the length and the trailer's checksum.
func verifyFrame(path string, data []byte) error {
	if len(data) < headerLen+trailerLen {
		if len(data) >= len(magic) && string(data[:len(magic)]) != magic {
			return fmt.Errorf("checkpoint %s: %w: it does not start with %q", path, ErrNotCheckpoint, magic)
		}
		return fmt.Errorf("checkpoint %s: %w: the file has %d bytes, fewer than the %d of an empty checkpoint; restore it from a backup or retrain",
			path, ErrTruncated, len(data), headerLen+trailerLen)
	}

	if string(data[:len(magic)]) != magic {
		return fmt.Errorf("checkpoint %s: %w: it starts with %q instead of %q", path, ErrNotCheckpoint, data[:len(magic)], magic)
	}
	version := binary.LittleEndian.Uint32(data[len(magic):])
	if version != formatVersion {
		return fmt.Errorf("checkpoint %s: %w %d; this build reads version %d, so load it with the build that wrote it",
			path, ErrVersion, version, formatVersion)
	}

	bodyLen := binary.LittleEndian.Uint64(data[len(magic)+4:])
	want := uint64(headerLen) + bodyLen + uint64(trailerLen)
	if bodyLen > uint64(len(data)) || want > uint64(len(data)) {
		return fmt.Errorf("checkpoint %s: %w: the header gives %d bytes, the file has %d; the write was interrupted, so restore it from a backup or retrain",
			path, ErrTruncated, want, len(data))
	}
	if want < uint64(len(data)) {
		return fmt.Errorf("checkpoint %s: %w: the header gives %d bytes, the file has %d; it has trailing data",
			path, ErrCorrupt, want, len(data))
	}

	stored := binary.LittleEndian.Uint32(data[len(data)-trailerLen:])
	computed := crc32.Checksum(data[:len(data)-trailerLen], castagnoli)
	if stored != computed {
		return fmt.Errorf("checkpoint %s: %w: CRC-32C is %08x, the trailer stores %08x; the file was damaged, so restore it from a backup or retrain",
			path, ErrCorrupt, computed, stored)
	}
	return nil
}

// match checks the file's parameters against the model's and, if all fit, copies the values.
func match(path string, stored []fileParam, params []*nn.Param, opts LoadOptions) ([]string, error) {
	byName := make(map[string]int, len(stored))
	for i, fp := range stored {
		if _, dup := byName[fp.name]; dup {
			return nil, fmt.Errorf("checkpoint %s: %w: parameter %q is stored twice", path, ErrCorrupt, fp.name)
		}
		byName[fp.name] = i
	}
	used := make(map[string]bool, len(params))
	for i, p := range params {
		if p == nil || p.Value == nil {
			return nil, fmt.Errorf("checkpoint %s: model parameter %d is nil or has no Value", path, i)
		}
		if used[p.Name] {
			return nil, fmt.Errorf("checkpoint %s: the model has two parameters named %q; names must be unique", path, p.Name)
		}
		j, ok := byName[p.Name]
		if !ok {
			return nil, fmt.Errorf("checkpoint %s: %w: parameter %q is not in the file; it was saved from a different model or configuration",
				path, ErrMismatch, p.Name)
		}
		if !slices.Equal(stored[j].shape, p.Value.Shape) {
			return nil, fmt.Errorf("checkpoint %s: %w: parameter %q has shape %v in the file, the model expects %v; check the model's hyperparameters (embedding size, vocabulary) against the run that saved it",
				path, ErrMismatch, p.Name, stored[j].shape, p.Value.Shape)
		}
		if len(p.Value.Data)*4 != len(stored[j].raw) {
			return nil, fmt.Errorf("checkpoint %s: model parameter %q has shape %v but %d values", path, p.Name, p.Value.Shape, len(p.Value.Data))
		}
		used[p.Name] = true
	}
	var unknown []string
	for _, fp := range stored {
		if !used[fp.name] {
			unknown = append(unknown, fp.name)
		}
	}
	if len(unknown) > 0 && !opts.Partial {
		return nil, fmt.Errorf("checkpoint %s: %w: the file has %d parameters the model lacks (%s); set LoadOptions.Partial to skip them",
			path, ErrMismatch, len(unknown), listNames(unknown, 5))
	}
	for _, p := range params {
		decodeFloats(p.Value.Data, stored[byName[p.Name]].raw)
	}
	return unknown, nil
}

// listNames returns up to limit quoted names, followed by the number of names left out.
func listNames(names []string, limit int) string {
	quoted := make([]string, 0, limit)
	for _, n := range names[:min(limit, len(names))] {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	s := strings.Join(quoted, ", ")
	if len(names) > limit {
		s += fmt.Sprintf(" and %d more", len(names)-limit)
	}
	return s
}
