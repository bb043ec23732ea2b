# Recipes for common tasks; each wraps a plain Go command, so everything also works without just.
# Install just with `npm install -g rust-just`.

# Run all tests on the default pure-Go backend.
test:
    go test ./...

# Run the engine's tests on the OpenBLAS backend (needs Debian's libopenblas-dev).
test-openblas:
    go test -tags openblas ./nn/...

# Run the benchmarks that BENCHMARKS.md records.
bench:
    go test -run '^$' -bench . -benchmem ./nn/... ./experiments/protocol/
    go test -run '^$' -bench . -benchmem -tags openblas ./nn/...

# Print statistics of the embedded synthetic dataset.
data-stats shape="kuaisar" size="default":
    go run ./cmd/srbench data stats --source synthetic --shape {{shape}} --size {{size}}
