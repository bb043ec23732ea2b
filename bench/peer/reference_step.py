#!/usr/bin/python3
"""Time the harness's reference training step in PyTorch, as the peer for the Go engine.

The step is the shape that BenchmarkReferenceStep in nn/layer runs: B=256 users, a history of
L=30 items each, d=64, a 100,000-row item embedding table, one post-LN TransformerEncoderLayer
(2 heads, feed-forward 256, dropout 0.1) over the history, a GRU (hidden 64) over the encoder
output, DIN-style attention pooling with the target item as the query, an MLP head [128, 64, 1],
BCE with logits and Adam (lr 1e-3). Every history is full (30 valid items), so nothing is padded.

Two variants run: "dense" (a dense embedding table updated by Adam) and "sparse" (sparse=True
embedding updated by SparseAdam, everything else by Adam). The script prints, per variant, the
median seconds per step over the timed steps and the process's peak RSS so far
(resource.getrusage ru_maxrss). Run each variant in its own process (--variant) for a clean RSS.
"""

import argparse
import resource
import statistics
import sys
import time

import torch
from torch import nn

BATCH = 256
HISTORY = 30
DIM = 64
ITEMS = 100_000
HEADS = 2
FEED_FORWARD = 256
DROPOUT = 0.1
LEARNING_RATE = 1e-3


class AttentionPooling(nn.Module):
    """DIN's activation unit: an MLP over [q, k, q-k, q*k] gives one unnormalised weight per
    key, and the pooled vector is the weighted sum of the keys (the layout of
    layer.DINAttention in Go)."""

    def __init__(self, dim):
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Linear(4 * dim, 64), nn.PReLU(64),
            nn.Linear(64, 16), nn.PReLU(16),
            nn.Linear(16, 1),
        )

    def forward(self, keys, query):
        q = query.unsqueeze(1).expand_as(keys)
        features = torch.cat([q, keys, q - keys, keys * q], dim=-1)
        # PReLU's channels are dimension 1, so the MLP runs on [B*L, 4d] rows.
        weights = self.mlp(features.reshape(-1, features.shape[-1])).view(keys.shape[0], -1, 1)
        return (weights * keys).sum(dim=1)


class ReferenceModel(nn.Module):
    """The reference step's model, which returns one logit per row."""

    def __init__(self, sparse):
        super().__init__()
        self.item_embedding = nn.Embedding(ITEMS, DIM, sparse=sparse)
        nn.init.normal_(self.item_embedding.weight, std=0.01)
        self.encoder = nn.TransformerEncoderLayer(
            DIM, HEADS, dim_feedforward=FEED_FORWARD, dropout=DROPOUT, batch_first=True)
        self.gru = nn.GRU(DIM, DIM, batch_first=True)
        self.pooling = AttentionPooling(DIM)
        self.head = nn.Sequential(
            nn.Linear(2 * DIM, 128), nn.ReLU(),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 1),
        )

    def forward(self, history, target):
        keys = self.encoder(self.item_embedding(history))
        keys, _ = self.gru(keys)
        query = self.item_embedding(target)
        pooled = self.pooling(keys, query)
        return self.head(torch.cat([pooled, query], dim=-1)).squeeze(-1)


def make_optimizers(model, sparse):
    """Return the optimizers of one variant: SparseAdam for a sparse table, Adam for the rest."""
    if not sparse:
        return [torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)]
    table = [model.item_embedding.weight]
    rest = [p for name, p in model.named_parameters() if name != "item_embedding.weight"]
    return [torch.optim.SparseAdam(table, lr=LEARNING_RATE),
            torch.optim.Adam(rest, lr=LEARNING_RATE)]


def make_batches(count, generator):
    """Return count random batches (history ids, target ids, 0/1 labels)."""
    batches = []
    for _ in range(count):
        history = torch.randint(ITEMS, (BATCH, HISTORY), generator=generator)
        target = torch.randint(ITEMS, (BATCH,), generator=generator)
        label = torch.randint(2, (BATCH,), generator=generator).float()
        batches.append((history, target, label))
    return batches


def run_variant(variant, warmup, steps, seed):
    """Time steps training steps after warmup ones and return the median wall-clock and CPU
    seconds per step (CPU time summed over the process's threads) and the last loss."""
    sparse = variant == "sparse"
    torch.manual_seed(seed)
    model = ReferenceModel(sparse)
    model.train()
    optimizers = make_optimizers(model, sparse)
    loss_fn = nn.BCEWithLogitsLoss()
    # Every step gets a fresh batch, so the model cannot memorise a few batches and the
    # embedding rows touched per step stay those of random traffic.
    batches = make_batches(warmup + steps, torch.Generator().manual_seed(seed))
    times, cpu_times = [], []
    for i in range(warmup + steps):
        history, target, label = batches[i]
        start, cpu_start = time.perf_counter(), time.process_time()
        for opt in optimizers:
            opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(history, target), label)
        loss.backward()
        for opt in optimizers:
            opt.step()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if i >= warmup:
            times.append(elapsed)
            cpu_times.append(cpu)
    return statistics.median(times), statistics.median(cpu_times), float(loss)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=["dense", "sparse"], default="dense",
                        help="embedding table variant (default dense)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    parser.add_argument("--steps", type=int, default=30, help="timed steps (default 30)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed (default 1)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    median, cpu, loss = run_variant(args.variant, args.warmup, args.steps, args.seed)
    peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"torch {torch.__version__} variant={args.variant} threads={torch.get_num_threads()} "
          f"steps={args.steps} median_s_per_step={median:.4f} median_cpu_s_per_step={cpu:.4f} "
          f"peak_rss_mib={peak_rss_kib / 1024:.0f} final_loss={loss:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
