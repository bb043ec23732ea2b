package checkpoint

import "hash/crc32"

// magic opens every checkpoint file.
const magic = "SRBCKPT\x00"

// formatVersion is the version that Save writes and Load reads.
const formatVersion = 1

// headerLen is the size of magic, version and body length; trailerLen the size of the CRC.
const (
	headerLen  = len(magic) + 4 + 8
	trailerLen = 4
)

// Limits of the encoding: names are prefixed by a uint16 length, ranks stored in a uint8 and
// blobs prefixed by a uint32 length.
const (
	maxNameLen = 1<<16 - 1
	maxRank    = 1<<8 - 1
	maxBlobLen = 1<<32 - 1
)

// castagnoli is the CRC-32C table; the polynomial has hardware support on amd64 and arm64.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)
