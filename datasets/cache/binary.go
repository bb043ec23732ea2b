package cache

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// chunk is the number of bytes converted at a time between arrays and the stream.
const chunk = 1 << 16

// encoder writes little-endian scalars and length-prefixed flat arrays. Arrays are written
// element by element through a pending chunk (put32, put64, put8, then endArray), so a caller
// can stream an array out of nested structs without building it first. The first write error
// sticks and turns later writes into no-ops.
type encoder struct {
	w       *bufio.Writer
	pending []byte
	small   [8]byte
	err     error
}

func newEncoder(w io.Writer) *encoder {
	return &encoder{w: bufio.NewWriterSize(w, 1<<20), pending: make([]byte, 0, chunk+8)}
}

func (e *encoder) write(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

func (e *encoder) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.small[:], v)
	e.write(e.small[:])
}

func (e *encoder) spill() {
	if len(e.pending) >= chunk {
		e.endArray()
	}
}

func (e *encoder) put32(v int32) {
	e.pending = binary.LittleEndian.AppendUint32(e.pending, uint32(v))
	e.spill()
}

func (e *encoder) put64(v int64) {
	e.pending = binary.LittleEndian.AppendUint64(e.pending, uint64(v))
	e.spill()
}

func (e *encoder) put8(v byte) {
	e.pending = append(e.pending, v)
	e.spill()
}

// endArray writes out the pending chunk.
func (e *encoder) endArray() {
	e.write(e.pending)
	e.pending = e.pending[:0]
}

// int32s writes a count and the values.
func (e *encoder) int32s(v []int32) {
	e.u64(uint64(len(v)))
	for _, x := range v {
		e.put32(x)
	}
	e.endArray()
}

// int64s writes a count and the values.
func (e *encoder) int64s(v []int64) {
	e.u64(uint64(len(v)))
	for _, x := range v {
		e.put64(x)
	}
	e.endArray()
}

func (e *encoder) bytes(v []byte) {
	e.u64(uint64(len(v)))
	e.write(v)
}

// strings writes the n strings that at returns as one array of lengths, then all bytes in one
// block.
func (e *encoder) strings(n int, at func(i int) string) {
	total := 0
	e.u64(uint64(n))
	for i := range n {
		e.put32(int32(len(at(i))))
		total += len(at(i))
	}
	e.endArray()
	e.u64(uint64(total))
	for i := range n {
		if e.err == nil {
			_, e.err = e.w.WriteString(at(i))
		}
	}
}

// ragged writes n int32 lists, returned by row, as their lengths and their concatenation.
func (e *encoder) ragged(n int, row func(i int) []int32) {
	total := 0
	e.u64(uint64(n))
	for i := range n {
		e.put32(int32(len(row(i))))
		total += len(row(i))
	}
	e.endArray()
	e.u64(uint64(total))
	for i := range n {
		for _, x := range row(i) {
			e.put32(x)
		}
	}
	e.endArray()
}

func (e *encoder) flush() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// decoder reads what encoder writes from at most remaining bytes. Every count is checked against
// the bytes left before anything is allocated, so a damaged count fails instead of allocating
// without bound. The first error sticks; later reads return zero values.
type decoder struct {
	r         *bufio.Reader
	remaining int64
	scratch   []byte
	err       error
}

func newDecoder(r io.Reader, size int64) *decoder {
	return &decoder{r: bufio.NewReaderSize(r, 1<<20), remaining: size, scratch: make([]byte, chunk)}
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

// read fills p from the stream, or records an error.
func (d *decoder) read(p []byte, what string) bool {
	if d.err != nil {
		return false
	}
	if int64(len(p)) > d.remaining {
		d.fail("%s: needs %d bytes, %d left in the payload", what, len(p), d.remaining)
		return false
	}
	if _, err := io.ReadFull(d.r, p); err != nil {
		d.fail("%s: %w", what, err)
		return false
	}
	d.remaining -= int64(len(p))
	return true
}

func (d *decoder) u64(what string) uint64 {
	b := d.scratch[:8]
	if !d.read(b, what) {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// count reads an element count and checks that that many elements of size bytes fit.
func (d *decoder) count(size int64, what string) int {
	n := d.u64(what)
	if d.err == nil && n > uint64(d.remaining/size) {
		d.fail("%s: %d elements of %d bytes exceed the %d bytes left", what, n, size, d.remaining)
		return 0
	}
	return int(n)
}

func (d *decoder) int32s(what string) []int32 {
	n := d.count(4, what)
	if d.err != nil {
		return nil
	}
	out := make([]int32, n)
	for done := 0; done < n; {
		m := min(n-done, chunk/4)
		b := d.scratch[:4*m]
		if !d.read(b, what) {
			return nil
		}
		for i := range m {
			out[done+i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
		}
		done += m
	}
	return out
}

func (d *decoder) int64s(what string) []int64 {
	n := d.count(8, what)
	if d.err != nil {
		return nil
	}
	out := make([]int64, n)
	for done := 0; done < n; {
		m := min(n-done, chunk/8)
		b := d.scratch[:8*m]
		if !d.read(b, what) {
			return nil
		}
		for i := range m {
			out[done+i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
		done += m
	}
	return out
}

func (d *decoder) bytes(what string) []byte {
	n := d.count(1, what)
	if d.err != nil {
		return nil
	}
	out := make([]byte, n)
	d.read(out, what)
	return out
}

// strings reads the lengths and the block, then slices one string of all bytes, so millions of
// keys cost two allocations.
func (d *decoder) strings(what string) []string {
	lens := d.int32s(what + " lengths")
	total := d.count(1, what)
	if d.err != nil {
		return nil
	}
	sum := 0
	for _, n := range lens {
		if n < 0 {
			d.fail("%s: negative length %d", what, n)
			return nil
		}
		sum += int(n)
	}
	if sum != total {
		d.fail("%s: lengths sum to %d, block has %d bytes", what, sum, total)
		return nil
	}
	block := make([]byte, total)
	if !d.read(block, what) {
		return nil
	}
	all := string(block)
	out := make([]string, len(lens))
	at := 0
	for i, n := range lens {
		out[i] = all[at : at+int(n)]
		at += int(n)
	}
	return out
}

// ragged reads what encoder.ragged writes and returns the rows as capacity-limited slices of one
// backing array; empty rows are nil.
func (d *decoder) ragged(what string) [][]int32 {
	lens := d.int32s(what + " lengths")
	flat := d.int32s(what)
	if d.err != nil {
		return nil
	}
	sum := 0
	for _, n := range lens {
		if n < 0 {
			d.fail("%s: negative length %d", what, n)
			return nil
		}
		sum += int(n)
	}
	if sum != len(flat) {
		d.fail("%s: lengths sum to %d, %d values stored", what, sum, len(flat))
		return nil
	}
	rows := make([][]int32, len(lens))
	at := 0
	for i, n := range lens {
		if n > 0 {
			rows[i] = flat[at : at+int(n) : at+int(n)]
		}
		at += int(n)
	}
	return rows
}
