package checkpoint

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/optim"
)

// Contents is the metadata and optimizer state that a checkpoint stores with the parameter
// values.
type Contents struct {
	// Epoch is the number of completed epochs.
	Epoch int64
	// Step is the number of completed optimizer steps.
	Step int64
	// RNG is the serialized state of the random number generators, opaque to this package.
	// An empty slice loads as nil.
	RNG []byte
	// Extra holds any other named data, such as a JSON-encoded schedule state. Empty values
	// load as nil.
	Extra map[string][]byte
	// Optimizer is the optimizer's state, or nil to store none.
	Optimizer *optim.State
}

// Save writes params and c to path atomically: it writes a temporary file in the same
// directory, syncs it, renames it over path and syncs the directory, so a crash leaves either
// the old file or the new one. It returns an error, and leaves path untouched, if a parameter
// is nil, two parameters share a name, a value's length does not match its shape, a name or
// blob is too long for the format, or a write fails.
func Save(path string, params []*nn.Param, c Contents) error {
	start := time.Now()
	if err := validateForSave(params, c); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	counter := newCountingEncoder()
	encodeBody(counter, params, c)
	size, err := writeAtomic(path, func(f *os.File) error {
		e := newWritingEncoder(f)
		e.write([]byte(magic))
		e.u32(formatVersion)
		e.u64(uint64(counter.n))
		encodeBody(e, params, c)
		return e.finish()
	})
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	slog.Info("saved checkpoint", "path", path, "bytes", size, "params", len(params),
		"epoch", c.Epoch, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// encodeBody writes the body in the order the format fixes.
func encodeBody(e *encoder, params []*nn.Param, c Contents) {
	e.i64(c.Epoch)
	e.i64(c.Step)
	e.blob(c.RNG)

	keys := make([]string, 0, len(c.Extra))
	for k := range c.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.u32(uint32(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.blob(c.Extra[k])
	}

	e.u32(uint32(len(params)))
	for _, p := range params {
		e.str(p.Name)
		e.u8(uint8(len(p.Value.Shape)))
		for _, d := range p.Value.Shape {
			e.u64(uint64(d))
		}
		e.floats(p.Value.Data)
	}

	if c.Optimizer == nil {
		e.u8(0)
		return
	}
	e.u8(1)
	encodeOptimizer(e, c.Optimizer)
}

func encodeOptimizer(e *encoder, st *optim.State) {
	e.str(st.Algorithm)
	e.f64(st.LR)
	e.i64(st.Steps)
	e.u32(uint32(len(st.Params)))
	for _, ps := range st.Params {
		e.str(ps.Name)
		e.i64(ps.Step)
		e.u64(uint64(len(ps.Moment1)))
		e.floats(ps.Moment1)
		e.u64(uint64(len(ps.Moment2)))
		e.floats(ps.Moment2)
		if ps.RowSteps == nil {
			e.u8(0)
			continue
		}
		e.u8(1)
		e.u64(uint64(len(ps.RowSteps)))
		e.ints(ps.RowSteps)
	}
}

// validateForSave checks everything the encoding cannot represent or Load would reject.
func validateForSave(params []*nn.Param, c Contents) error {
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		if p == nil || p.Value == nil {
			return fmt.Errorf("parameter %d is nil or has no Value", i)
		}
		if seen[p.Name] {
			return fmt.Errorf("parameter name %q appears twice; names must be unique", p.Name)
		}
		seen[p.Name] = true
		if err := checkName("parameter name", p.Name); err != nil {
			return err
		}
		if len(p.Value.Shape) > maxRank {
			return fmt.Errorf("parameter %q has rank %d; the format stores at most %d dimensions", p.Name, len(p.Value.Shape), maxRank)
		}
		if n, ok := shapeLen(p.Value.Shape); !ok || n != len(p.Value.Data) {
			return fmt.Errorf("parameter %q has shape %v but %d values", p.Name, p.Value.Shape, len(p.Value.Data))
		}
	}
	if len(c.RNG) > maxBlobLen {
		return fmt.Errorf("RNG state of %d bytes exceeds the format's limit of %d", len(c.RNG), maxBlobLen)
	}
	for k, v := range c.Extra {
		if err := checkName("extra key", k); err != nil {
			return err
		}
		if len(v) > maxBlobLen {
			return fmt.Errorf("extra entry %q of %d bytes exceeds the format's limit of %d", k, len(v), maxBlobLen)
		}
	}
	if c.Optimizer != nil {
		return validateOptimizerForSave(c.Optimizer)
	}
	return nil
}

func validateOptimizerForSave(st *optim.State) error {
	if err := checkName("optimizer algorithm", st.Algorithm); err != nil {
		return err
	}
	for _, ps := range st.Params {
		if err := checkName("optimizer parameter name", ps.Name); err != nil {
			return err
		}
	}
	return nil
}

func checkName(kind, name string) error {
	if len(name) > maxNameLen {
		return fmt.Errorf("%s %.40q... is %d bytes; the format stores at most %d", kind, name, len(name), maxNameLen)
	}
	return nil
}

// shapeLen returns the number of elements of shape, and false if a dimension is negative or
// the product overflows an int.
func shapeLen(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		if d != 0 && n > int(^uint(0)>>1)/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

// writeAtomic creates a temporary file next to path, lets write fill it, syncs, renames it
// to path and syncs the directory. It returns the file's size. On any error it removes the
// temporary file and leaves path as it was.
func writeAtomic(path string, write func(*os.File) error) (size int64, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("creating temporary file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	if err = write(f); err != nil {
		return 0, fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return 0, fmt.Errorf("setting permissions of %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return 0, fmt.Errorf("syncing %s: %w", tmp, err)
	}
	info, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("reading size of %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return 0, fmt.Errorf("closing %s: %w", tmp, err)
	}

	if err = os.Rename(tmp, path); err != nil {
		return 0, fmt.Errorf("renaming %s to %s: %w", tmp, path, err)
	}
	return info.Size(), syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}
