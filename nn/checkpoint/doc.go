// Package checkpoint saves and restores a model's parameters, together with optimizer state
// and training metadata, in a versioned binary file that detects truncation and corruption.
//
// # File format, version 1
//
// All integers and floats are little-endian.
//
//	header   magic "SRBCKPT\x00" (8 bytes), format version uint32, body length uint64
//	body     metadata, extra entries, parameters, optimizer state (below)
//	trailer  CRC-32C (Castagnoli) of header and body, uint32
//
// A string is a uint16 byte length and the bytes; a blob is a uint32 length and the bytes.
// The body holds, in order:
//
//	epoch int64, step int64, RNG state blob
//	uint32 count of extra entries, each a string key and a blob value, sorted by key
//	uint32 count of parameters, each a string name, uint8 rank, rank × uint64 dimensions
//	  and the float32 values in row-major order
//	uint8 1 if optimizer state follows, else 0
//	optimizer state: string algorithm, float64 LR, int64 step count, uint32 count of entries
//	  each entry: string name, int64 step count,
//	    uint64 length and float32 first moments, uint64 length and float32 second moments,
//	    uint8 1, uint64 count and int64 per-row step counts, or uint8 0 for none
//
// Save writes the file atomically. Load reads the whole file into memory, verifies it and
// matches parameters by name before changing any of them.
package checkpoint
