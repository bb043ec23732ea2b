package datasets

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// BadRowPolicy decides what a loader does with a row it cannot use: a malformed CSV or JSON
// line, a field of the wrong type or range, or a row that contradicts an earlier one.
type BadRowPolicy uint8

const (
	// Fail stops the load at the first bad row and returns its *RowError. It is the default.
	Fail BadRowPolicy = iota
	// Skip drops each bad row, counts it in the LoadReport by reason and goes on.
	Skip
)

// String returns "fail" or "skip", the spelling ParseBadRowPolicy accepts.
func (p BadRowPolicy) String() string {
	switch p {
	case Fail:
		return "fail"
	case Skip:
		return "skip"
	}
	return fmt.Sprintf("BadRowPolicy(%d)", uint8(p))
}

// ParseBadRowPolicy parses the value of the --on-bad-row flag: "fail" or "skip".
func ParseBadRowPolicy(s string) (BadRowPolicy, error) {
	switch s {
	case "fail", "":
		return Fail, nil
	case "skip":
		return Skip, nil
	}
	return Fail, fmt.Errorf("invalid bad-row policy %q: want \"fail\" or \"skip\"", s)
}

// RowError describes one bad row in a source file. Its message names the file, the 1-based line
// (the header is line 1), the field and its value, what was expected, and what to do.
type RowError struct {
	// File is the base name of the source file.
	File string
	// Line is the 1-based line where the row starts, counting the header.
	Line int
	// Field is the column or JSON key at fault; empty when the whole row is at fault.
	Field string
	// Value is the offending value as read.
	Value string
	// Problem is a short fixed phrase ("invalid value", "wrong number of fields") that the
	// LoadReport counts rows by.
	Problem string
	// Want states what a valid row has instead.
	Want string
}

// skipHint ends every RowError message. It names the bad-row option in both spellings: the
// flag of the data commands and the config key of an experiment run.
const skipHint = "fix the row, or skip bad rows with --on-bad-row=skip (srbench data) or --set data.<dataset>.on_bad_row=skip (srbench run)"

// MissingField is the RowError.Problem of a JSON line without a required field; its message
// shows no value.
const MissingField = "missing field"

// Error formats the error, for example:
//
//	rec_inter.csv:17: field "timestamp": invalid value "abc": want an integer Unix time in
//	milliseconds; fix the row, or skip bad rows with --on-bad-row=skip (srbench data) or
//	--set data.<dataset>.on_bad_row=skip (srbench run)
func (e *RowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	switch {
	case e.Field != "" && e.Problem == MissingField:
		fmt.Fprintf(&b, "field %q: %s", e.Field, e.Problem)
	case e.Field != "":
		fmt.Fprintf(&b, "field %q: %s %q", e.Field, e.Problem, e.Value)
	default:
		b.WriteString(e.Problem)
	}
	if e.Want != "" {
		b.WriteString(": ")
		b.WriteString(e.Want)
	}
	b.WriteString("; " + skipHint)
	return b.String()
}

// Reason returns the key under which a LoadReport counts this error: file, field and problem,
// without the line or the value.
func (e *RowError) Reason() string {
	if e.Field == "" {
		return e.File + ": " + e.Problem
	}
	return fmt.Sprintf("%s: field %q: %s", e.File, e.Field, e.Problem)
}

// CompareKeys orders source ids for dense id assignment: two integer keys compare as numbers, any
// other pair compares as strings, and an integer key sorts before a non-integer one. Loaders sort
// user and item keys with it, so dense ids do not depend on row order in the files.
func CompareKeys(a, b string) int {
	ia, errA := strconv.ParseInt(a, 10, 64)
	ib, errB := strconv.ParseInt(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		if c := compareInt(ia, ib); c != 0 {
			return c
		}
		return strings.Compare(a, b) // "07" and "7" parse alike but are different keys
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// LoadReport counts everything a loader read and everything it did not turn into behaviours, so
// that no row disappears without a count. Maps are keyed by a reason that starts with the file
// name; a nil map reads as empty.
type LoadReport struct {
	// Name is the dataset name.
	Name string
	// Policy is the bad-row policy the load ran under.
	Policy BadRowPolicy
	// RowsRead counts data rows (lines for JSON, without the CSV header) per file.
	RowsRead map[string]int
	// Skipped counts bad rows dropped under Skip, by RowError.Reason.
	Skipped map[string]int
	// Ignored counts well-formed rows that are by definition not behaviours, such as
	// recommendation impressions with click = 0.
	Ignored map[string]int
	// Duplicates counts exact duplicate rows removed, by reason.
	Duplicates map[string]int
	// UnknownIDs counts references to ids that the feature files do not list, dropped, by reason.
	UnknownIDs map[string]int
	// UsersDropped counts users who appear in some file but end up with no behaviour, by reason.
	UsersDropped map[string]int
	// UsersWithoutFeatures counts kept users that have no row in the user feature file; their
	// User.Features is nil.
	UsersWithoutFeatures int
	// RecOnlyUsers and SearchOnlyUsers count kept users whose stream has a single scenario.
	// They are kept here; preprocessing decides whether to filter them.
	RecOnlyUsers, SearchOnlyUsers int
	// Notes records decisions the loader made from the data, one sentence each.
	Notes []string
}

// NewLoadReport returns an empty report for the named dataset.
func NewLoadReport(name string, policy BadRowPolicy) *LoadReport {
	return &LoadReport{
		Name:         name,
		Policy:       policy,
		RowsRead:     map[string]int{},
		Skipped:      map[string]int{},
		Ignored:      map[string]int{},
		Duplicates:   map[string]int{},
		UnknownIDs:   map[string]int{},
		UsersDropped: map[string]int{},
	}
}

// Reject applies the report's policy to a bad row: under Fail it returns e, under Skip it counts
// e under e.Reason() and returns nil.
func (r *LoadReport) Reject(e *RowError) error {
	if r.Policy == Fail {
		return e
	}
	r.Skipped[e.Reason()]++
	return nil
}

// SkippedTotal returns the number of bad rows skipped over all reasons.
func (r *LoadReport) SkippedTotal() int {
	total := 0
	for _, n := range r.Skipped {
		total += n
	}
	return total
}

// String formats the report as indented lines, with reasons sorted so that equal reports print
// alike.
func (r *LoadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "load report for %s (on bad row: %s)\n", r.Name, r.Policy)
	writeCounts(&b, "rows read", r.RowsRead)
	writeCounts(&b, "bad rows skipped", r.Skipped)
	writeCounts(&b, "rows that are not behaviours", r.Ignored)
	writeCounts(&b, "exact duplicates removed", r.Duplicates)
	writeCounts(&b, "unknown ids dropped", r.UnknownIDs)
	writeCounts(&b, "users dropped", r.UsersDropped)
	fmt.Fprintf(&b, "  users without a feature row: %d\n", r.UsersWithoutFeatures)
	fmt.Fprintf(&b, "  users with one scenario (kept): %d rec only, %d search only\n", r.RecOnlyUsers, r.SearchOnlyUsers)
	for _, note := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", note)
	}
	return b.String()
}

func writeCounts(b *strings.Builder, title string, counts map[string]int) {
	if len(counts) == 0 {
		fmt.Fprintf(b, "  %s: none\n", title)
		return
	}
	fmt.Fprintf(b, "  %s:\n", title)
	for _, key := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(b, "    %s: %d\n", key, counts[key])
	}
}

// OpenSource opens a source file for reading, decompressing it when the name ends in ".gz".
// Closing the returned reader closes the file.
func OpenSource(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open source file: %w", err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open source file %s: not a valid gzip stream: %w", path, err)
	}
	return &gzipFile{Reader: zr, file: f}, nil
}

type gzipFile struct {
	*gzip.Reader
	file *os.File
}

func (g *gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.file.Close())
}

// CSVTable reads a CSV file that starts with a header row and maps columns by header name, so
// column order does not matter. Rows must have as many fields as the header; quotes must be
// well formed (encoding/csv with LazyQuotes off). Malformed rows go through the LoadReport's
// policy: Next skips and counts them under Skip and stops with a *RowError under Fail.
type CSVTable struct {
	name    string
	src     io.ReadCloser
	csv     *csv.Reader
	header  []string
	columns map[string]int
	report  *LoadReport
	record  []string
	line    int
	err     error
}

// OpenCSV opens path (gzip when it ends in ".gz") and reads its header. An empty file is an
// error, because the loader cannot tell which columns it was meant to have.
func OpenCSV(path string, report *LoadReport) (*CSVTable, error) {
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	r := csv.NewReader(src)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		src.Close()
		return nil, fmt.Errorf("%s: file is empty: want a header line naming the columns", name)
	}
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	header = slices.Clone(header)
	columns := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if _, dup := columns[h]; dup {
			src.Close()
			return nil, fmt.Errorf("%s:1: column %q appears twice in the header %q", name, h, header)
		}
		columns[h] = i
	}
	r.FieldsPerRecord = len(header)
	return &CSVTable{name: name, src: src, csv: r, header: header, columns: columns, report: report}, nil
}

// Name returns the file's base name, as used in messages and report keys.
func (t *CSVTable) Name() string { return t.name }

// Column returns the index of the first of names present in the header, or -1 when none is.
// Several names accept documented alternative spellings of one column.
func (t *CSVTable) Column(names ...string) int {
	for _, n := range names {
		if i, ok := t.columns[n]; ok {
			return i
		}
	}
	return -1
}

// Require returns the index of the first of names present in the header, or an error naming
// the missing column and the header found.
func (t *CSVTable) Require(names ...string) (int, error) {
	if i := t.Column(names...); i >= 0 {
		return i, nil
	}
	want := strconv.Quote(names[0])
	if len(names) > 1 {
		want = fmt.Sprintf("one of %q", names)
	}
	return -1, fmt.Errorf("%s:1: missing required column %s; the header has %q: rename the column in the header, or check that the file is the one the loader expects", t.name, want, t.header)
}

// Report returns the LoadReport that the table counts rows in.
func (t *CSVTable) Report() *LoadReport { return t.report }

// Header returns the column names as read.
func (t *CSVTable) Header() []string { return t.header }

// Next advances to the next well-formed row and reports whether there is one. It returns false
// at the end of the file or on an error, which Err then returns.
func (t *CSVTable) Next() bool {
	if t.err != nil {
		return false
	}
	for {
		record, err := t.csv.Read()
		if err == io.EOF {
			return false
		}
		if err == nil {
			t.record = record
			t.line, _ = t.csv.FieldPos(0)
			t.report.RowsRead[t.name]++
			return true
		}
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			t.err = fmt.Errorf("%s: read: %w", t.name, err)
			return false
		}
		t.report.RowsRead[t.name]++
		if unsynced(pe) {
			t.err = fmt.Errorf("%s:%d: malformed CSV: %v in the row that starts here (column %d): "+
				"the reader cannot resynchronise past an unclosed quote, because it reads every later line as part of that field, "+
				"so the load stops even under on_bad_row=skip; close or remove the quote in that row", t.name, pe.StartLine, pe.Err, pe.Column)
			return false
		}
		if err := t.report.Reject(t.parseRowError(pe, record)); err != nil {
			t.err = err
			return false
		}
	}
}

// unsynced reports whether pe leaves the reader inside an open quoted field: a parse error that
// spans more than one line, or a missing closing quote. Skipping such a row would silently
// swallow the rest of the file as one field.
func unsynced(pe *csv.ParseError) bool {
	return pe.Line > pe.StartLine || errors.Is(pe.Err, csv.ErrQuote)
}

func (t *CSVTable) parseRowError(pe *csv.ParseError, record []string) *RowError {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return &RowError{File: t.name, Line: pe.StartLine, Problem: "wrong number of fields",
			Want: fmt.Sprintf("row has %d fields, want %d as in the header %q", len(record), len(t.header), t.header)}
	}
	return &RowError{File: t.name, Line: pe.StartLine, Problem: "malformed CSV",
		Want: fmt.Sprintf("%v at column %d; quote a field that contains commas or quotes and double its inner quotes", pe.Err, pe.Column)}
}

// Field returns the current row's value in column col, with surrounding spaces removed.
func (t *CSVTable) Field(col int) string { return strings.TrimSpace(t.record[col]) }

// TrimmedRecord returns the current row's fields with surrounding spaces removed, appended to
// buf[:0] so that a caller can reuse one buffer for every row.
func (t *CSVTable) TrimmedRecord(buf []string) []string {
	buf = buf[:0]
	for _, f := range t.record {
		buf = append(buf, strings.TrimSpace(f))
	}
	return buf
}

// Record returns the current row's fields. The slice is reused by the next call to Next.
func (t *CSVTable) Record() []string { return t.record }

// Line returns the 1-based line where the current row starts; the header is line 1.
func (t *CSVTable) Line() int { return t.line }

// Reject reports the current row as bad in column col: under Fail it returns the *RowError, under
// Skip it counts the row and returns nil, and the caller moves on to the next row.
func (t *CSVTable) Reject(col int, problem, want string) error {
	return t.report.Reject(&RowError{File: t.name, Line: t.line, Field: t.header[col], Value: t.Field(col), Problem: problem, Want: want})
}

// Err returns the error that stopped Next, or nil at a clean end of file.
func (t *CSVTable) Err() error { return t.err }

// Close closes the underlying file.
func (t *CSVTable) Close() error { return t.src.Close() }
