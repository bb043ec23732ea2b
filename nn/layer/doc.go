// Package layer provides the neural-network layers that the harness's models are built from,
// named and initialised as in PyTorch's torch.nn: Linear, Embedding, LayerNorm, MLP,
// MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer and GRU, plus DIN's
// activation-unit attention and PLE's multi-task experts.
//
// Every layer is a value that owns nn.Params and implements nn.Module. Its constructor takes a
// name prefix, the sizes and an explicit *rand.Rand for initialisation, so the same seed always
// gives the same weights. Parameter names follow PyTorch's state_dict keys under the prefix
// ("encoder.self_attn.in_proj_weight") and Params lists them in a fixed order. Forward methods
// record their operations on the tape of their input and may run concurrently on different
// tapes, as nn.ParallelStep does.
//
// Forward methods panic on shapes that do not fit the layer, as package nn's ops do: shapes are
// fixed by the model's code, not by input data. Masks use nn.Mask's convention, true = keep,
// which is the opposite of PyTorch's boolean attention masks.
package layer
