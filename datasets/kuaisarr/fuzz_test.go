package kuaisarr

import "testing"

// FuzzParseRows checks that no fields make the row parsers panic or accept an invalid row. Its
// seed corpus in testdata/fuzz runs with plain go test.
func FuzzParseRows(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b, c, d, e string) {
		rec := []string{a, b, c, d, e}
		if r, fe := parseDFRow(rec, dfColumns{0, 1, 2, 3}); fe == nil && (r.user == "" || r.video == "" || r.time < 0) {
			t.Errorf("parseDFRow(%q) accepted %+v", rec, r)
		}
		r, fe := parseVideoRow(rec, videoColumns{video: 0, level: [4]int{1, 2, 3, 4}})
		for _, code := range r.codes {
			if fe == nil && code < -1 {
				t.Errorf("parseVideoRow(%q) returned code %d", rec, code)
			}
		}
	})
}
