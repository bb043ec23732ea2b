package amazon

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePythonLiteral(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{`'abc'`, "abc"},
		{`"Rock 'n' roll"`, "Rock 'n' roll"},
		{`'Children\'s Books'`, "Children's Books"},
		{`'tab\there\\n'`, "tab\there\\n"},
		{`u'Caf\xe9 \u00e9t\xe9 \U0001F600'`, "Café été 😀"},
		{`'\101\60'`, "A0"},
		{`'keep \d'`, `keep \d`},
		{`r'raw \n'`, `raw \n`},
		{`"json \/ slash"`, "json / slash"},
		{`12`, int64(12)},
		{`-3`, int64(-3)},
		{`2.99`, 2.99},
		{`1e3`, 1000.0},
		{`99999999999999999999`, 1e20},
		{`True`, true},
		{`false`, false},
		{`None`, nil},
		{`null`, nil},
		{`[]`, []any{}},
		{`[1, 'a', [2.5], ]`, []any{int64(1), "a", []any{2.5}}},
		{`(1, 2)`, []any{int64(1), int64(2)}},
		{` {'asin': 'B1', 'categories': [['Books', 'Kindle Store']], 'salesRank': {'Books': 3}} `,
			map[string]any{"asin": "B1", "categories": []any{[]any{"Books", "Kindle Store"}}, "salesRank": map[string]any{"Books": int64(3)}}},
		{`{"asin": "B2", "imUrl": None}`, map[string]any{"asin": "B2", "imUrl": nil}},
	}
	for _, tc := range cases {
		got, err := ParsePythonLiteral(tc.in)
		if err != nil {
			t.Errorf("ParsePythonLiteral(%s): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParsePythonLiteral(%s) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParsePythonLiteralErrors(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{``, "unexpected end of input"},
		{`'open`, "unterminated string"},
		{`'a' 'b'`, "after the literal"},
		{`[1 2]`, "want ','"},
		{`{'a' 1}`, "want ':'"},
		{`{1: 'a'}`, "not a string"},
		{`{'a': 1`, "unexpected end of input"},
		{`nan`, "unknown name"},
		{`'\x4'`, "hex digits"},
		{`'\u12'`, "truncated"},
		{`--1`, "invalid number"},
		{`@`, "unexpected '@'"},
		{"'line\nbreak'", "line break"},
		{strings.Repeat("[", 300) + strings.Repeat("]", 300), "nesting deeper"},
	}
	for _, tc := range cases {
		_, err := ParsePythonLiteral(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePythonLiteral(%q) error %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
}
