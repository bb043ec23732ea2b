package main

import (
	"strings"
	"testing"
)

func TestDataCachedLoadReport(t *testing.T) {
	args := []string{"data", "prepare", "--source", "kuaisar-r", "--path", "../../datasets/kuaisarr/testdata",
		"--search-prob", "1", "--cache-dir", t.TempDir()}
	built, err := execute(t, args...)
	if err != nil {
		t.Fatalf("first prepare: %v\n%s", err, built)
	}
	if !strings.Contains(built, "load report for") {
		t.Errorf("first prepare printed no load report:\n%s", built)
	}
	cached, err := execute(t, args...)
	if err != nil {
		t.Fatalf("second prepare: %v\n%s", err, cached)
	}
	if !strings.Contains(cached, "cache: true") || !strings.Contains(cached, "pass --no-cache") {
		t.Errorf("cached prepare does not say where the load report went:\n%s", cached)
	}
}

func TestRunFlagErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"zero jobs", []string{"--jobs", "0"}, "invalid --jobs 0"},
		{"negative workers", []string{"--workers", "-1"}, "invalid --workers -1"},
		{"empty models", []string{"--models", ""}, "omit the flag to run all models"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run", "table1", "--results", t.TempDir()}, tc.args...)
			if _, err := execute(t, args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
