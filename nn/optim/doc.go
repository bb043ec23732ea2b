// Package optim updates the parameters of package nn's models: Adam with lazy row-sparse
// updates for embedding tables, plain SGD, gradient zeroing and clipping, the
// ReduceLROnPlateau learning-rate schedule, early stopping and parameter counts.
//
// Optimizers follow PyTorch's update rules so that settings and results carry over from
// PyTorch code. Every update is element-wise, so the same parameters and gradients give
// bit-identical results for any number of workers.
package optim
