// Package aem is the attention-based embedding model AEM for personalized product search, and
// with Options.ZeroAttention its zero attention variant ZAM, both from Ai, Hill, Vishwanathan
// and Croft, "A Zero Attention Model for Personalized Product Search" (CIKM 2019). Package zam
// builds the ZAM configuration.
//
// The model is a single-scenario baseline: it trains and scores only the search task and never
// reads recommendation data. For a search sample it computes
//
//	q    = tanh(W_φ · mean(word embeddings of the query) + b_φ)        query embedding f(q)
//	f(q, i) = (iᵀ · tanh(W_f · q + b_f)) · W_h                         attention score of item i
//	u    = Σ_i softmax_i(f(q, i)) · i                                  user embedding
//	M_uq = λ·q + (1 − λ)·u                                              personalized query
//	s(c) = M_uqᵀ · c                                                    score of candidate item c
//
// where W_f is d×(d·β), b_f is d×β and W_h has β entries, β being the number of attention
// hidden units. AEM's softmax runs over the user's history items. ZAM adds the zero vector to
// them: its score is f(q, 0) = 0, so its weight is exp(0) = 1 in the denominator and the
// attention can put weight on "no personalization" (u = 0) when no history item matches.
//
// The user's purchase history of the paper is, for these datasets, the items clicked in the
// user's search sessions before the sample (Batch.SearchClicks: the last 30 sessions, at most
// 5 clicks each). An item clicked twice appears twice. A user with no earlier click has u = 0.
//
// The paper trains P(i | u, q) with a softmax approximated by negative sampling. Here the model
// trains as every model of the harness does: binary cross-entropy with logits over each search
// positive and its training negatives. Items are id embeddings, as in the paper.
//
// Everything that does not depend on the candidate (q, u, M_uq) is computed once per sample and
// shared by its 5 training rows and its 100 evaluation candidates.
package aem
