//go:build !openblas

package nn

// DefaultBackend returns the backend that NewTape uses: Gonum in builds without the
// "openblas" tag.
func DefaultBackend() Backend { return Gonum{} }
