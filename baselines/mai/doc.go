// Package mai is a reading of MAI, the dynamic multi-attribute interest model for personalized
// product search of Bai, Dou and Wen, "Learning Dynamic Multi-attribute Interest for
// Personalized Product Search" (Findings of EMNLP 2024).
//
// The paper's abstract describes three parts. Attribute-centered interest profiling captures
// the user's preference on each single product attribute, such as brand or category.
// Attribute-aware interest profiling captures interests that involve several attributes at
// once within the search history. Dynamic contribution weights send the model an explicit
// signal of how much each attribute matters. No public code of the authors, nor the body of the paper,
// was available when this package was written, so the architecture below is this package's own
// reading of that description. Every choice that the description leaves open is listed under
// "Guesses".
//
// Attributes of an item are its id and each level of its category path (a = 0 is the item id,
// a = 1..A−1 the category levels, coarsest first); an item without a category at some level
// has no embedding there. Each attribute has its own embedding table. For a search sample with
// query q and the user's earlier search sessions j = 1..30, each a query q_j and up to 5 clicked
// items:
//
//	q          = tanh(W_φ·mean(word embeddings of q) + b_φ)
//	x_j^a      = mean over the clicks of session j of the attribute-a embeddings
//	h^a        = TransformerEncoder_a(x^a + P_a)                    attribute-centered, per a
//	u^a        = Σ_j softmax_j((W_a·q)·h_j^a / √d) · h_j^a
//	x_j        = f(q_j) + Σ_a x_j^a                                  the session across attributes
//	h          = TransformerEncoder(x + P)                           attribute-aware
//	u^mix      = Σ_j softmax_j((W·q)·h_j / √d) · h_j
//	c_a        = share of the history clicks whose attribute-a value is the user's most
//	             frequent one                                        explicit signal
//	w          = softmax(MLP([q, u^0, …, u^(A−1), u^mix, c]))       A+1 contribution weights
//	s(i)       = Σ_a (q + w_a·u^a + w_mix·u^mix)ᵀ · e_i^a             score of candidate item i
//
// so the query matches every attribute of the candidate, each attribute-centered interest
// matches its own attribute weighted by its contribution, and the attribute-aware interest
// matches the whole item. Everything left of s(i) is computed once per sample and shared by its
// training rows and evaluation candidates.
//
// The model trains only the search task and reads only search data (single-scenario), with
// binary cross-entropy over each search positive and its training negatives, as every model of
// the harness does.
//
// Guesses (none of these is stated in the material available):
//   - the attributes are the item id and the category levels, because these datasets have no
//     brand or other attribute fields;
//   - each attribute-centered sequence is the per-session mean of the clicked items' attribute
//     embeddings, without the session's query, and the attribute-aware sequence adds the
//     session's query embedding to the sum over attributes;
//   - both profiling modules use UniSAR's transformer settings (1 layer, 2 heads, feed-forward
//     64, dropout 0.1, learned positional embeddings) and pool by attention from the current
//     query;
//   - the "explicit signal" is the per-attribute concentration c_a, which is high when the user
//     keeps returning to the same value of that attribute, and it enters the weight network as
//     an input, not as a separate loss;
//   - the score is the sum of per-attribute inner products above, not an MLP over features.
package mai
