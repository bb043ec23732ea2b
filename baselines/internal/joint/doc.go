// Package joint holds the pieces that the joint search-and-recommendation baselines (SESRec,
// UniSAR, UnifiedSSR) share and that package nn/block does not provide: feature embeddings of
// users, items and queries as their reference code builds them, bilinear target attention,
// the query–item contrastive loss, per-batch id deduplication and the candidate bookkeeping of
// Loss and Score.
package joint
