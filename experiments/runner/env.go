package runner

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/srbench/srbench/results"
)

// unknown fills environment fields that cannot be read.
const unknown = "unknown"

// hostEnvironment returns the parts of a record's environment shared by every run of one
// invocation: the git commit and dirty flag of the working directory, the Go version and the
// CPU. Paths under exclude (the results and cache folders) do not count as changes, because
// every run writes there.
func hostEnvironment(ctx context.Context, exclude ...string) results.Environment {
	commit, dirty := gitState(ctx, exclude)
	return results.Environment{
		GitCommit: commit,
		GitDirty:  dirty,
		GoVersion: runtime.Version(),
		CPU:       cpuModel("/proc/cpuinfo"),
		NumCPU:    runtime.NumCPU(),
	}
}

// gitState runs `git rev-parse HEAD` and `git status --porcelain`. It returns "unknown" for the
// commit outside a git work tree or without git, and a nil dirty flag whenever the status could
// not be read.
func gitState(ctx context.Context, exclude []string) (commit string, dirty *bool) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return unknown, nil
	}
	args := []string{"status", "--porcelain", "--", "."}
	for _, dir := range exclude {
		if abs, err := filepath.Abs(dir); err == nil {
			args = append(args, ":(exclude)"+abs)
		}
	}
	commit = strings.TrimSpace(string(out))
	status, err := exec.CommandContext(ctx, "git", args...).Output()
	if err != nil {
		return commit, nil
	}
	changed := len(bytes.TrimSpace(status)) > 0
	return commit, &changed
}

// dirtyText formats a GitDirty flag for logs: "true", "false" or "unknown".
func dirtyText(dirty *bool) string {
	if dirty == nil {
		return unknown
	}
	return strconv.FormatBool(*dirty)
}

// cpuModel returns the first "model name" of a Linux cpuinfo file, or "unknown".
func cpuModel(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return unknown
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return unknown
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM of /proc/self/status),
// or 0 where that file cannot be read.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
