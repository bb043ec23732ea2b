package amazon

import (
	"encoding/json"
	"testing"
)

// The fuzz targets check that no input makes a parser panic, and a few invariants on accepted
// input. Their seed corpora in testdata/fuzz run with plain go test.

func FuzzParsePythonLiteral(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePythonLiteral(s)
		if err != nil {
			return
		}
		// Every accepted value is made of the documented Go types.
		if _, err := json.Marshal(v); err != nil {
			if _, isFloat := v.(float64); !isFloat {
				t.Errorf("ParsePythonLiteral(%q) = %#v, which is not JSON-encodable: %v", s, v, err)
			}
		}
	})
}

func FuzzParseReview(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		r, le := parseReview(line)
		if le == nil && (r.user == "" || r.asin == "" || r.time < 0) {
			t.Errorf("parseReview(%q) accepted an invalid review %+v", line, r)
		}
	})
}

func FuzzParseMeta(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		m, le := parseMeta(line)
		if le == nil && m.asin == "" {
			t.Errorf("parseMeta(%q) accepted an empty asin", line)
		}
	})
}

func FuzzParseQrel(f *testing.F) {
	f.Fuzz(func(t *testing.T, line string) {
		q, le := parseQrel(line)
		if le == nil && (q.user == "" || q.query < 0) {
			t.Errorf("parseQrel(%q) accepted %+v", line, q)
		}
	})
}
