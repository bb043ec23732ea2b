// Package nn is a small float32 reverse-mode autodiff engine for training the harness's models:
// row-major tensors, a tape of operations, layers named as in PyTorch, losses and optimizers.
//
// It exists instead of a general graph library because the harness's workload (embedding tables
// with row-sparse updates, short sequences, small dense layers) is dominated by a few GEMMs, and a
// purpose-built tape keeps everything outside those GEMMs cheap. Matrix products go through a
// BLAS interface: gonum's pure-Go BLAS by default, OpenBLAS through cgo under the build tag
// "openblas".
package nn
