// Package seqrec contains the code that the harness's recommendation-only baselines (DIN,
// FMLP-Rec and BSARec) share. It checks recommendation batches and evaluation candidates,
// computes the binary cross-entropy over one positive and its sampled negatives, embeds a
// right-aligned history with learned positions, and provides the position-wise feed-forward
// block of FMLP-Rec and BSARec and the dot-product scoring of candidates against a user state.
//
// Every baseline trains with the same objective, binary cross-entropy on each training
// positive (label 1) and its Batch.NegativeWidth sampled negatives (label 0), whatever its own
// paper used, so that the comparison differs only in the models.
package seqrec
