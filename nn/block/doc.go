// Package block holds the composite blocks that several unified search-and-recommendation
// models share: the behaviour embeddings of recommendation clicks and search sessions, UniSAR's
// cross-scenario behaviour fusion with its alignment loss, and the bidirectional contrastive
// loss (BiCL) under a bilinear tanh similarity. DHIM and the UniSAR baseline call the same code.
package block
