// Package protocol ranks held-out candidates and computes the evaluation metrics of unified
// search and recommendation: HR@k and NDCG@k per task and over the pooled cases of both tasks.
//
// A Case is one held-out positive with its candidates: 100 item ids, the positive at index 0 and
// 99 sampled negatives. Rank gets one score per candidate from a Scorer, batch by batch, and finds
// the positive's 0-based rank. Before scoring, each case's candidates are shuffled by a random
// stream that depends only on the seed and the case's task and id, so a candidate that ties the
// positive's score is as likely to be placed before it as after it. Evaluations that keep the
// positive at index 0 and let it win ties overstate every metric; DHIM (AAAI 2026) reports this
// bias in UniSAR's public evaluation and removes it by shuffling. The InputOrder option keeps that
// biased ranking for comparison.
//
// Beside the randomized metrics, a Result carries tie-averaged metrics: their expectation over
// every order of the tied candidates. The gap between the two shows how much ties move a result.
// Per-case ranks and tie counts stay in the Result, so PairedTTest and WilcoxonSignedRank can
// compare two models on the same cases.
//
// The package knows nothing of models or files: it takes cases and a Scorer.
package protocol
