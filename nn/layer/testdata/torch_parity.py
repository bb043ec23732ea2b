#!/usr/bin/python3
"""Write torch_parity.json: PyTorch 1.13 outputs of small layers, for TestTorchParity.

Each case stores the module's state_dict (names, shapes, values), its inputs and its outputs in
evaluation mode (no dropout). The Go test loads the weights by name, so it also checks that the
Go layers use PyTorch's parameter names and shapes. Regenerate with
/usr/bin/python3 nn/layer/testdata/torch_parity.py from the repository root.
"""

import json
import os

import torch
from torch import nn

torch.manual_seed(7)


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1)]}


def state(module):
    return {name: tensor(value) for name, value in module.state_dict().items()}


def perturb_biases(module):
    """PyTorch initialises some biases to zero; random ones make the comparison stricter."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "bias" in name:
                p.normal_(0, 0.5)


def encoder_case():
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, batch_first=True)
    perturb_biases(layer)
    layer.eval()
    x = torch.randn(2, 3, 4)
    lengths = [3, 2]
    pad = torch.tensor([[i >= n for i in range(3)] for n in lengths])  # True = padded key
    y = layer(x, src_key_padding_mask=pad)
    return {"params": state(layer), "x": tensor(x), "lengths": lengths, "y": tensor(y)}


def decoder_case():
    layer = nn.TransformerDecoderLayer(4, 2, dim_feedforward=6, dropout=0.0, batch_first=True)
    perturb_biases(layer)
    layer.eval()
    tgt = torch.randn(2, 3, 4)
    memory = torch.randn(2, 2, 4)
    causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)  # True = masked
    memory_lengths = [2, 1]
    memory_pad = torch.tensor([[i >= n for i in range(2)] for n in memory_lengths])
    y = layer(tgt, memory, tgt_mask=causal, memory_key_padding_mask=memory_pad)
    return {"params": state(layer), "tgt": tensor(tgt), "memory": tensor(memory),
            "memory_lengths": memory_lengths, "y": tensor(y)}


def gru_case():
    gru = nn.GRU(3, 4, batch_first=True)
    x = torch.randn(2, 3, 3)
    lengths = [3, 1]
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                               enforce_sorted=False)
    out, h = gru(packed)
    states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=3)
    return {"params": state(gru), "x": tensor(x), "lengths": lengths,
            "states": tensor(states), "last": tensor(h[0])}


def cross_attention_case():
    attn = nn.MultiheadAttention(4, 2, batch_first=True)
    perturb_biases(attn)
    attn.eval()
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 2, 4), torch.randn(2, 2, 4)
    y, _ = attn(q, k, v, need_weights=False)
    return {"params": state(attn), "query": tensor(q), "key": tensor(k), "value": tensor(v),
            "y": tensor(y)}


def main():
    with torch.enable_grad():  # keeps PyTorch off its fused inference path
        cases = {"torch_version": torch.__version__, "encoder": encoder_case(),
                 "decoder": decoder_case(), "gru": gru_case(),
                 "cross_attention": cross_attention_case()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_parity.json")
    with open(path, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
