package checkpoint

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/nn/optim"
)

// fileParam is a parameter as stored: its values stay encoded until the file has been matched
// against the model.
type fileParam struct {
	name  string
	shape []int
	raw   []byte
}

// body is the parsed body of a checkpoint.
type body struct {
	contents Contents
	params   []fileParam
}

// parseBody parses the body; it must consume d exactly.
func parseBody(d *decoder) (*body, error) {
	b := &body{}
	var err error
	if b.contents.Epoch, err = d.i64("epoch"); err != nil {
		return nil, err
	}
	if b.contents.Step, err = d.i64("step"); err != nil {
		return nil, err
	}
	if b.contents.RNG, err = d.blob("RNG state"); err != nil {
		return nil, err
	}
	if b.contents.Extra, err = parseExtra(d); err != nil {
		return nil, err
	}
	if b.params, err = parseParams(d); err != nil {
		return nil, err
	}
	if b.contents.Optimizer, err = parseOptimizer(d); err != nil {
		return nil, err
	}
	if d.remaining() != 0 {
		return nil, d.fail("end of body", "%d bytes left after the last section", d.remaining())
	}
	return b, nil
}

func parseExtra(d *decoder) (map[string][]byte, error) {
	// Each entry takes at least a 2-byte key length and a 4-byte value length.
	n, err := d.count("extra entry count", 6)
	if err != nil {
		return nil, err
	}
	extra := make(map[string][]byte, n)
	for range n {
		key, err := d.str("extra key")
		if err != nil {
			return nil, err
		}
		if _, dup := extra[key]; dup {
			return nil, d.fail("extra key", "%q appears twice", key)
		}
		if extra[key], err = d.blob(fmt.Sprintf("extra entry %q", key)); err != nil {
			return nil, err
		}
	}
	return extra, nil
}

func parseParams(d *decoder) ([]fileParam, error) {
	// Each parameter takes at least a 2-byte name length and a 1-byte rank.
	n, err := d.count("parameter count", 3)
	if err != nil {
		return nil, err
	}
	params := make([]fileParam, 0, n)
	for range n {
		p, err := parseParam(d)
		if err != nil {
			return nil, err
		}
		params = append(params, p)
	}
	return params, nil
}

func parseParam(d *decoder) (fileParam, error) {
	name, err := d.str("parameter name")
	if err != nil {
		return fileParam{}, err
	}
	field := fmt.Sprintf("parameter %q", name)
	rank, err := d.u8(field + " rank")
	if err != nil {
		return fileParam{}, err
	}
	shape := make([]int, rank)
	elems := uint64(1)
	for i := range shape {
		dim, err := d.u64(field + " dimension")
		if err != nil {
			return fileParam{}, err
		}
		// A product of dimensions beyond the bytes left can never be backed by data, and
		// checking it here keeps the product from overflowing.
		if dim > math.MaxInt32 || (elems != 0 && dim != 0 && elems > uint64(d.remaining()/4)/dim) {
			return fileParam{}, d.fail(field, "dimension %d of size %d needs more values than the file holds", i, dim)
		}
		shape[i] = int(dim)
		elems *= dim
	}
	raw, err := d.rawFloats(field+" values", elems)
	if err != nil {
		return fileParam{}, err
	}
	return fileParam{name: name, shape: shape, raw: raw}, nil
}

func parseOptimizer(d *decoder) (*optim.State, error) {
	present, err := d.u8("optimizer flag")
	if err != nil {
		return nil, err
	}
	switch present {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, d.fail("optimizer flag", "value %d is neither 0 nor 1", present)
	}

	st := &optim.State{}
	if st.Algorithm, err = d.str("optimizer algorithm"); err != nil {
		return nil, err
	}
	if st.LR, err = d.f64("optimizer learning rate"); err != nil {
		return nil, err
	}
	if st.Steps, err = d.i64("optimizer step count"); err != nil {
		return nil, err
	}

	// Each entry takes at least 2+8+8+8+1 bytes: name length, step, two moment lengths, flag.
	n, err := d.count("optimizer entry count", 27)
	if err != nil {
		return nil, err
	}
	st.Params = make([]optim.ParamState, n)
	for i := range st.Params {
		if err := parseParamState(d, &st.Params[i]); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func parseParamState(d *decoder, ps *optim.ParamState) error {
	var err error
	if ps.Name, err = d.str("optimizer parameter name"); err != nil {
		return err
	}
	field := fmt.Sprintf("optimizer state of %q", ps.Name)
	if ps.Step, err = d.i64(field + " step count"); err != nil {
		return err
	}
	if ps.Moment1, err = d.floats(field + " first moments"); err != nil {
		return err
	}
	if ps.Moment2, err = d.floats(field + " second moments"); err != nil {
		return err
	}

	flag, err := d.u8(field + " row-step flag")
	if err != nil {
		return err
	}
	switch flag {
	case 0:
		return nil
	case 1:
	default:
		return d.fail(field+" row-step flag", "value %d is neither 0 nor 1", flag)
	}

	rows, err := d.u64(field + " row count")
	if err != nil {
		return err
	}
	ps.RowSteps, err = d.ints(field+" row step counts", rows)
	return err
}
