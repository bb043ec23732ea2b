package kuaisar

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The fuzz targets check that no input makes a parser panic, and a few invariants on accepted
// input. Their seed corpora in testdata/fuzz run with plain go test.

func FuzzParseTokenList(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		tokens, err := ParseTokenList(s)
		if err != nil {
			return
		}
		parts := make([]string, len(tokens))
		for i, tok := range tokens {
			parts[i] = strconv.FormatInt(tok, 10)
		}
		again, err := ParseTokenList("[" + strings.Join(parts, ", ") + "]")
		if err != nil || !slices.Equal(tokens, again) {
			t.Errorf("ParseTokenList(%q) = %v, but its canonical form parses to %v, %v", s, tokens, again, err)
		}
	})
}

func FuzzParseMillis(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseMillis(s)
		if err == nil && (v < 0 || v > maxMillis) {
			t.Errorf("ParseMillis(%q) = %d, out of range", s, v)
		}
	})
}

// FuzzParseRows feeds the same fields to every row parser of the package.
func FuzzParseRows(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g string) {
		rec := []string{a, b, c, d, e, g}
		if r, fe := parseRecRow(rec, recColumns{0, 1, 2, 3}); fe == nil && (r.user == "" || r.item == "") {
			t.Errorf("parseRecRow(%q) accepted an empty id", rec)
		}
		if r, fe := parseSrcRow(rec, srcColumns{0, 1, 2, 3, 4, 5}); fe == nil && r.keyword == nil {
			t.Errorf("parseSrcRow(%q) accepted a nil keyword", rec)
		}
		cols := itemColumns{item: 0, caption: 1, levelID: [4]int{2, 3, 4, 5}, levelName: [4]int{-1, -1, 4, -1}, levelNameEn: [4]int{5, -1, -1, -1}}
		if r, fe := parseItemRow(rec, cols); fe == nil && len(r.levels) > 4 {
			t.Errorf("parseItemRow(%q) returned %d levels", rec, len(r.levels))
		}
		if _, codes, fe := parseUserRow(rec, 0, []int{1, 2, 3}); fe == nil && slices.ContainsFunc(codes, func(v int32) bool { return v < 0 }) {
			t.Errorf("parseUserRow(%q) accepted a negative code", rec)
		}
	})
}
