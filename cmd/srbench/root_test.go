package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestWarnBLASCore(t *testing.T) {
	cases := []struct {
		requested, backend string
		warn               bool
	}{
		{"Bogus", "openblas/Cooperlake", true},
		{"haswell", "openblas/Haswell", false},
		{"", "openblas/SkylakeX", false},
		{"Haswell", "gonum", false},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		prev := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
		warnBLASCore(c.requested, c.backend)
		slog.SetDefault(prev)
		if got := strings.Contains(buf.String(), "ignored OPENBLAS_CORETYPE"); got != c.warn {
			t.Errorf("requested %q, backend %q: warned %v, want %v (log: %q)", c.requested, c.backend, got, c.warn, buf.String())
		}
	}
}
