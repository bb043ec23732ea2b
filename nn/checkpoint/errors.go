package checkpoint

import "errors"

// Errors that Load wraps, so that callers can tell the causes apart with errors.Is.
var (
	// ErrNotCheckpoint means the file does not start with the checkpoint magic bytes.
	ErrNotCheckpoint = errors.New("not a checkpoint file")
	// ErrVersion means the file's format version is not one this package reads.
	ErrVersion = errors.New("unsupported checkpoint format version")
	// ErrTruncated means the file is shorter than the length its header records.
	ErrTruncated = errors.New("checkpoint file is truncated")
	// ErrCorrupt means the checksum does not match or the body cannot be parsed.
	ErrCorrupt = errors.New("checkpoint file is corrupt")
	// ErrMismatch means the file's parameters do not fit the model: a parameter is missing,
	// has another shape, or is unknown to the model.
	ErrMismatch = errors.New("checkpoint does not match the model")
)
