package checkpoint

import (
	"encoding/binary"
	"fmt"
	"math"
)

// decoder reads the format's primitives from a byte slice. Every length read from the data is
// checked against the bytes left before anything is allocated, so arbitrary input can cost at
// most memory proportional to its own size.
type decoder struct {
	data []byte
	off  int
}

// parseError is a failure to parse the body at a byte offset.
type parseError struct {
	off   int
	field string
	msg   string
}

func (e *parseError) Error() string {
	return fmt.Sprintf("at byte %d, %s: %s", e.off, e.field, e.msg)
}

func (d *decoder) remaining() int { return len(d.data) - d.off }

func (d *decoder) fail(field, format string, args ...any) error {
	return &parseError{off: d.off, field: field, msg: fmt.Sprintf(format, args...)}
}

// take returns the next n bytes.
func (d *decoder) take(field string, n int) ([]byte, error) {
	if n < 0 || n > d.remaining() {
		return nil, d.fail(field, "needs %d bytes, %d left", n, d.remaining())
	}
	b := d.data[d.off : d.off+n]
	d.off += n
	return b, nil
}

func (d *decoder) u8(field string) (uint8, error) {
	b, err := d.take(field, 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (d *decoder) u16(field string) (uint16, error) {
	b, err := d.take(field, 2)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

func (d *decoder) u32(field string) (uint32, error) {
	b, err := d.take(field, 4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (d *decoder) u64(field string) (uint64, error) {
	b, err := d.take(field, 8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

func (d *decoder) i64(field string) (int64, error) {
	v, err := d.u64(field)
	return int64(v), err
}

func (d *decoder) f64(field string) (float64, error) {
	v, err := d.u64(field)
	return math.Float64frombits(v), err
}

func (d *decoder) str(field string) (string, error) {
	n, err := d.u16(field + " length")
	if err != nil {
		return "", err
	}
	b, err := d.take(field, int(n))
	return string(b), err
}

// blob returns a copy of a length-prefixed byte slice.
func (d *decoder) blob(field string) ([]byte, error) {
	n, err := d.u32(field + " length")
	if err != nil {
		return nil, err
	}
	if uint64(n) > uint64(d.remaining()) {
		return nil, d.fail(field, "length %d exceeds the %d bytes left", n, d.remaining())
	}
	b, err := d.take(field, int(n))
	if err != nil || n == 0 {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// count reads a uint32 count of items that each take at least minSize bytes, and rejects
// counts the remaining bytes cannot hold.
func (d *decoder) count(field string, minSize int) (int, error) {
	n, err := d.u32(field)
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(d.remaining()) {
		return 0, d.fail(field, "count %d needs at least %d bytes, %d left", n, uint64(n)*uint64(minSize), d.remaining())
	}
	return int(n), nil
}

// rawFloats returns the bytes of n float32 values without decoding them.
func (d *decoder) rawFloats(field string, n uint64) ([]byte, error) {
	if n > uint64(d.remaining())/4 {
		return nil, d.fail(field, "%d float32 values need %d bytes, %d left", n, n*4, d.remaining())
	}
	return d.take(field, int(n)*4)
}

// floats reads a uint64 length and that many float32 values.
func (d *decoder) floats(field string) ([]float32, error) {
	n, err := d.u64(field + " length")
	if err != nil {
		return nil, err
	}
	raw, err := d.rawFloats(field, n)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n)
	decodeFloats(out, raw)
	return out, nil
}

// ints reads n int64 values.
func (d *decoder) ints(field string, n uint64) ([]int64, error) {
	if n > uint64(d.remaining())/8 {
		return nil, d.fail(field, "%d int64 values need %d bytes, %d left", n, n*8, d.remaining())
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(d.data[d.off:]))
		d.off += 8
	}
	return out, nil
}

// decodeFloats converts little-endian float32 bytes into dst; len(raw) must be 4·len(dst).
func decodeFloats(dst []float32, raw []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
}
