# Recipes for common tasks; each wraps a plain Go command, so everything also works without just.
# Install just with `npm install -g rust-just`.

# Build tags of the srbench commands below: OpenBLAS by default (Debian's libopenblas-dev);
# run `SRBENCH_TAGS= just table1` for the pure-Go build.
tags := env_var_or_default("SRBENCH_TAGS", "openblas")

# Run all tests on the default pure-Go backend.
test:
    go test ./...

# Run all tests on the OpenBLAS backend (needs Debian's libopenblas-dev).
test-openblas:
    go test -tags openblas ./...

# Run the benchmarks that BENCHMARKS.md records.
bench:
    go test -run '^$' -bench . -benchmem ./nn/... ./experiments/protocol/
    go test -run '^$' -bench . -benchmem -tags openblas ./nn/...

# Print statistics of the embedded synthetic dataset.
data-stats shape="kuaisar" size="default":
    go run ./cmd/srbench data stats --source synthetic --shape {{shape}} --size {{size}}

# Experiments default to table1 and ablation.
# Print our results beside the paper's Table 1 and Table 2 and check the paper's claims.
diff-paper *experiments:
    go run ./cmd/srbench diff-paper {{experiments}}

# Extra flags such as `--models pop,dhim` pass through to srbench run; a later --jobs replaces 2.
# Run Table 1 (every method on both synthetic dataset families), then render it under out/table1.
table1 *flags:
    go run -tags '{{tags}}' ./cmd/srbench run table1 --jobs 2 {{flags}}
    go run ./cmd/srbench report table1 --format all --out out/table1

# The same grid on tiny data with few steps, as a smoke run; renders under out/table1-quick.
table1-quick *flags:
    go run -tags '{{tags}}' ./cmd/srbench run table1 --profile quick {{flags}}
    go run ./cmd/srbench report table1-quick --format all --out out/table1-quick

# Run the ablation table (Table 2): DHIM's full model and its twelve ablations, then render it.
ablation *flags:
    go run -tags '{{tags}}' ./cmd/srbench run ablation --jobs 2 {{flags}}
    go run ./cmd/srbench report ablation --format all --out out/ablation

# The ablation on tiny data with few steps, as a smoke run.
ablation-quick *flags:
    go run -tags '{{tags}}' ./cmd/srbench run ablation --profile quick {{flags}}
    go run ./cmd/srbench report ablation-quick --format all --out out/ablation-quick

# Sweep DHIM's short-term windows K of recommendation and search.
sweep-k *flags:
    go run -tags '{{tags}}' ./cmd/srbench run sweep-k --jobs 2 {{flags}}

# Sweep DHIM's weight gamma of the inter-scenario triplets.
sweep-gamma *flags:
    go run -tags '{{tags}}' ./cmd/srbench run sweep-gamma --jobs 2 {{flags}}

# List the embedded experiments with their run counts.
list:
    go run ./cmd/srbench list

# Show which runs of an experiment are done, failed, partial or pending.
status experiment *flags:
    go run ./cmd/srbench status {{experiment}} {{flags}}
