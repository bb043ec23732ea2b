package checkpoint

import (
	"bufio"
	"encoding/binary"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"slices"
)

// encoder writes the format's primitives. With w nil it only counts bytes, which is how Save
// learns the body length for the header before writing the body.
type encoder struct {
	out     io.Writer
	w       *bufio.Writer
	crc     hash.Hash32
	n       int64
	scratch []byte
	err     error
}

func newCountingEncoder() *encoder { return &encoder{} }

func newWritingEncoder(w io.Writer) *encoder {
	crc := crc32.New(castagnoli)
	return &encoder{
		out:     w,
		w:       bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16),
		crc:     crc,
		scratch: make([]byte, 1<<15),
	}
}

func (e *encoder) write(b []byte) {
	e.n += int64(len(b))
	if e.w == nil || e.err != nil {
		return
	}
	_, e.err = e.w.Write(b)
}

func (e *encoder) u8(v uint8) { e.write([]byte{v}) }

func (e *encoder) u16(v uint16) { e.write(binary.LittleEndian.AppendUint16(nil, v)) }

func (e *encoder) u32(v uint32) { e.write(binary.LittleEndian.AppendUint32(nil, v)) }

func (e *encoder) u64(v uint64) { e.write(binary.LittleEndian.AppendUint64(nil, v)) }

func (e *encoder) i64(v int64) { e.u64(uint64(v)) }

func (e *encoder) f64(v float64) { e.u64(math.Float64bits(v)) }

// str writes a name; callers check that it fits maxNameLen.
func (e *encoder) str(s string) {
	e.u16(uint16(len(s)))
	e.write([]byte(s))
}

// blob writes a length-prefixed byte slice; callers check that it fits maxBlobLen.
func (e *encoder) blob(b []byte) {
	e.u32(uint32(len(b)))
	e.write(b)
}

// floats writes values as little-endian float32, converting through a scratch buffer.
func (e *encoder) floats(values []float32) {
	if e.w == nil {
		e.n += 4 * int64(len(values))
		return
	}
	for chunk := range slices.Chunk(values, len(e.scratch)/4) {
		buf := e.scratch[:4*len(chunk)]
		for i, v := range chunk {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		e.write(buf)
	}
}

func (e *encoder) ints(values []int64) {
	for _, v := range values {
		e.i64(v)
	}
}

// finish flushes the buffered bytes and writes the CRC of everything written so far.
func (e *encoder) finish() error {
	if e.err != nil {
		return e.err
	}
	if err := e.w.Flush(); err != nil {
		return err
	}
	_, err := e.out.Write(binary.LittleEndian.AppendUint32(nil, e.crc.Sum32()))
	return err
}
