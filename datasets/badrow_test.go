package datasets

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseBadRowPolicy(t *testing.T) {
	cases := []struct {
		in      string
		want    BadRowPolicy
		wantErr bool
	}{
		{"fail", Fail, false},
		{"", Fail, false},
		{"skip", Skip, false},
		{"Skip", Fail, true},
		{"ignore", Fail, true},
	}
	for _, tc := range cases {
		got, err := ParseBadRowPolicy(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseBadRowPolicy(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil && got.String() != strings.ToLower(tc.in) && tc.in != "" {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

func TestRowErrorMessage(t *testing.T) {
	cases := []struct {
		err        RowError
		want       string
		wantReason string
	}{
		{RowError{File: "rec_inter.csv", Line: 17, Field: "timestamp", Value: "abc", Problem: "invalid value", Want: "want an integer Unix time in milliseconds"},
			`rec_inter.csv:17: field "timestamp": invalid value "abc": want an integer Unix time in milliseconds; ` + skipHint,
			`rec_inter.csv: field "timestamp": invalid value`},
		{RowError{File: "df.csv", Line: 3, Problem: "wrong number of fields", Want: "row has 3 fields, want 4"},
			`df.csv:3: wrong number of fields: row has 3 fields, want 4; ` + skipHint,
			`df.csv: wrong number of fields`},
		{RowError{File: "r.json", Line: 2, Field: "asin", Problem: MissingField, Want: "want a non-empty string"},
			`r.json:2: field "asin": missing field: want a non-empty string; ` + skipHint,
			`r.json: field "asin": missing field`},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q\nwant      %q", got, tc.want)
		}
		if got := tc.err.Reason(); got != tc.wantReason {
			t.Errorf("Reason() = %q, want %q", got, tc.wantReason)
		}
	}
}

func TestReportReject(t *testing.T) {
	e := &RowError{File: "f.csv", Line: 2, Field: "x", Value: "1", Problem: "invalid value"}
	fail := NewLoadReport("d", Fail)
	if err := fail.Reject(e); err != e {
		t.Errorf("Fail: Reject returned %v, want the RowError", err)
	}
	if fail.SkippedTotal() != 0 {
		t.Errorf("Fail: counted %d skipped rows, want 0", fail.SkippedTotal())
	}
	skip := NewLoadReport("d", Skip)
	for range 3 {
		if err := skip.Reject(e); err != nil {
			t.Errorf("Skip: Reject returned %v, want nil", err)
		}
	}
	if got := skip.Skipped[e.Reason()]; got != 3 {
		t.Errorf("Skip: Skipped[%q] = %d, want 3", e.Reason(), got)
	}
}

func TestReportString(t *testing.T) {
	r := NewLoadReport("toy", Skip)
	r.RowsRead["b.csv"] = 2
	r.RowsRead["a.csv"] = 10
	r.Skipped[`a.csv: field "x": invalid value`] = 1
	r.RecOnlyUsers = 4
	r.Notes = append(r.Notes, "a note")
	want := `load report for toy (on bad row: skip)
  rows read:
    a.csv: 10
    b.csv: 2
  bad rows skipped:
    a.csv: field "x": invalid value: 1
  rows that are not behaviours: none
  exact duplicates removed: none
  unknown ids dropped: none
  users dropped: none
  users without a feature row: 0
  users with one scenario (kept): 4 rec only, 0 search only
  note: a note
`
	if got := r.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestCompareKeys(t *testing.T) {
	keys := []string{"b", "10", "A2", "9", "-1", "a", "09"}
	slices.SortFunc(keys, CompareKeys)
	want := []string{"-1", "09", "9", "10", "A2", "a", "b"}
	if !slices.Equal(keys, want) {
		t.Errorf("sorted keys = %q, want %q", keys, want)
	}
}

// writeTemp writes content to dir/name, gzip-compressed when name ends in ".gz".
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	data := []byte(content)
	if strings.HasSuffix(name, ".gz") {
		var b strings.Builder
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		data = []byte(b.String())
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll returns the rows of a CSV file under policy, by column names x and y, and the report.
func readAll(t *testing.T, path string, policy BadRowPolicy) ([][2]string, *LoadReport, error) {
	t.Helper()
	report := NewLoadReport("t", policy)
	table, err := OpenCSV(path, report)
	if err != nil {
		return nil, report, err
	}
	defer table.Close()
	x, err := table.Require("x")
	if err != nil {
		return nil, report, err
	}
	y, err := table.Require("y", "why")
	if err != nil {
		return nil, report, err
	}
	var rows [][2]string
	for table.Next() {
		rows = append(rows, [2]string{table.Field(x), table.Field(y)})
	}
	return rows, report, table.Err()
}

func TestCSVTable(t *testing.T) {
	want := [][2]string{{"1", "2"}, {"3", "4"}}
	cases := []struct {
		name, file, content string
	}{
		{"plain", "t.csv", "x,y\n1,2\n3,4\n"},
		{"reordered", "t.csv", "y,z,x\n2,0,1\n4,0,3\n"},
		{"alternative name", "t.csv", "x,why\n1,2\n3,4\n"},
		{"gzip", "t.csv.gz", "x,y\n1,2\n3,4\n"},
		{"byte order mark and CRLF", "t.csv", "\ufeffx, y\r\n1, 2\r\n3,4\r\n"},
		{"quoted", "t.csv", "x,y\n\"1\",\"2\"\n3,4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, _, err := readAll(t, writeTemp(t, tc.file, tc.content), Fail)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows, want) {
				t.Errorf("rows = %q, want %q", rows, want)
			}
		})
	}
}

func TestCSVTableErrors(t *testing.T) {
	cases := []struct {
		name, content string
		// wantInError are substrings of the Fail error; wantSkipped is the count under Skip,
		// or -1 when Skip must fail too.
		wantInError []string
		wantSkipped int
	}{
		{"empty file", "", []string{"t.csv", "file is empty"}, -1},
		{"missing column", "x,z\n1,2\n", []string{"t.csv:1:", `missing required column one of ["y" "why"]`, `["x" "z"]`}, -1},
		{"duplicate column", "x,y,x\n1,2,3\n", []string{"t.csv:1:", `column "x" appears twice`}, -1},
		{"field count", "x,y\n1,2\n3\n5,6\n", []string{"t.csv:3:", "row has 1 fields, want 2"}, 1},
		{"bare quote", "x,y\n1,2\na\"b,4\n5,6\n", []string{"t.csv:3:", "malformed CSV", "bare \"", "at column 2;"}, 1},
		{"two bad rows", "x,y\n1\n2\n5,6\n", []string{"t.csv:2:"}, 2},
		{"unclosed quote", "x,y\n1,2\n\"3,4\n5,6\n7,8\n", []string{"t.csv:3:", "cannot resynchronise", "even under on_bad_row=skip"}, -1},
		{"quote then text", "x,y\n1,2\n\"3\"x,4\n5,6\n", []string{"t.csv:3:", "malformed CSV"}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "t.csv", tc.content)
			_, _, err := readAll(t, path, Fail)
			for _, want := range tc.wantInError {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("Fail: error %v does not contain %q", err, want)
				}
			}
			rows, report, err := readAll(t, path, Skip)
			if tc.wantSkipped < 0 {
				if err == nil {
					t.Error("Skip: no error, want one")
				}
				return
			}
			if err != nil {
				t.Fatalf("Skip: %v", err)
			}
			if got := report.SkippedTotal(); got != tc.wantSkipped {
				t.Errorf("Skip: skipped %d rows, want %d", got, tc.wantSkipped)
			}
			if got := len(rows) + report.SkippedTotal(); got != report.RowsRead["t.csv"] {
				t.Errorf("Skip: %d returned + %d skipped != %d read", len(rows), report.SkippedTotal(), report.RowsRead["t.csv"])
			}
		})
	}
}

func TestOpenSourceBadGzip(t *testing.T) {
	path := writeTemp(t, "t.csv", "x,y\n")
	gz := path + ".gz"
	if err := os.Rename(path, gz); err != nil {
		t.Fatal(err)
	}
	_, err := OpenSource(gz)
	if err == nil || !strings.Contains(err.Error(), "not a valid gzip stream") {
		t.Errorf("error %v, want one about gzip", err)
	}
}
