// Package joint holds the pieces that the joint search-and-recommendation baselines (SESRec,
// UniSAR, UnifiedSSR) share and that package nn/block does not provide. These are feature
// embeddings of users, items and queries as their reference code builds them, bilinear target
// attention, the query–item contrastive loss, per-batch id deduplication and the candidate
// bookkeeping of Loss and Score. It also holds what keeps those models cheap on CPUs: sequence
// encoders run on histories trimmed to their filled slots (EncodeTrimmed), per-session means
// run once per distinct session (DistinctGroups), lookups are padded to few distinct shapes
// (PadIDs), and Score runs in chunks of rows with the tape reset in between (ScoreInChunks).
package joint
