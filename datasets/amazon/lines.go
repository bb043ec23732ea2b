package amazon

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/srbench/srbench/datasets"
)

// maxLineBytes bounds one line of a JSON-lines file. The longest 2014 metadata lines (items with
// long "related" lists and descriptions) are well under 1 MiB.
const maxLineBytes = 64 << 20

// readLines calls fn with every non-blank line of path (gzip when it ends in ".gz"), trimmed,
// and its 1-based line number. Blank lines are counted in report.Ignored; the other lines are
// counted in report.RowsRead.
func readLines(path string, report *datasets.LoadReport, fn func(line int, text []byte) error) error {
	name := filepath.Base(path)
	return scanLines(path, func(line int, text []byte) error {
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			report.Ignored[name+": blank line"]++
			return nil
		}
		report.RowsRead[name]++
		return fn(line, text)
	})
}

// scanLines calls fn with every line of path (gzip when it ends in ".gz"), blank lines included,
// and its 1-based number. The slice passed to fn is valid only during the call.
func scanLines(path string, fn func(line int, text []byte) error) (err error) {
	src, err := datasets.OpenSource(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := src.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		if err := fn(line, sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: read after line %d: %w", filepath.Base(path), line, err)
	}
	return nil
}

// jsonFields decodes a JSON object line into its raw fields.
func jsonFields(text []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(text, &fields); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, fmt.Errorf("line is null, want a JSON object")
	}
	return fields, nil
}

// shorten returns s cut to 80 bytes, for values quoted in error messages.
func shorten(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:77] + "..."
}
