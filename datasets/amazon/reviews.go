package amazon

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

// review is one parsed line of a reviews file.
type review struct {
	user, asin string
	// time is unixReviewTime in seconds.
	time int64
}

// lineError is a bad field found by a line parser; field is empty when the whole line is bad.
type lineError struct {
	field, value, problem, want string
}

// maxUnixSeconds bounds unixReviewTime (the year 2106), far beyond any review.
const maxUnixSeconds = 1 << 32

// parseReview parses a reviews line: a JSON object with the string fields reviewerID and asin,
// the integer field unixReviewTime (Unix seconds) and an optional numeric rating overall in
// [1, 5]. Other fields are ignored.
func parseReview(text []byte) (review, *lineError) {
	fields, err := jsonFields(text)
	if err != nil {
		return review{}, &lineError{problem: "malformed JSON", want: err.Error() + "; want one JSON object per line"}
	}
	var r review
	if r.user, err = stringField(fields, "reviewerID"); err != nil {
		return r, fieldErr(fields, "reviewerID", "want a non-empty string")
	}
	if r.asin, err = stringField(fields, "asin"); err != nil {
		return r, fieldErr(fields, "asin", "want a non-empty string")
	}
	var t float64
	if err := json.Unmarshal(fields["unixReviewTime"], &t); err != nil || t != math.Trunc(t) || t < 0 || t > maxUnixSeconds {
		return r, fieldErr(fields, "unixReviewTime", "want an integer Unix time in seconds")
	}
	r.time = int64(t)
	if raw, ok := fields["overall"]; ok {
		var rating float64
		if err := json.Unmarshal(raw, &rating); err != nil || rating < 1 || rating > 5 {
			return r, fieldErr(fields, "overall", "want a rating from 1 to 5")
		}
	}
	return r, nil
}

func stringField(fields map[string]json.RawMessage, key string) (string, error) {
	var s string
	if err := json.Unmarshal(fields[key], &s); err != nil || s == "" {
		return "", strconv.ErrSyntax
	}
	return s, nil
}

func fieldErr(fields map[string]json.RawMessage, key, want string) *lineError {
	raw, ok := fields[key]
	if !ok {
		return &lineError{field: key, problem: datasets.MissingField, want: want}
	}
	return &lineError{field: key, value: shorten(string(raw)), problem: "invalid value", want: want}
}

func (e *lineError) rowError(file string, line int) *datasets.RowError {
	return &datasets.RowError{File: file, Line: line, Field: e.field, Value: e.value, Problem: e.problem, Want: e.want}
}

// readReviews adds every review as a recommendation behaviour at unixReviewTime·1000 ms.
// Exact duplicates (same reviewerID, asin and unixReviewTime) are removed by the Builder.
func readReviews(path string, b *kuaisar.Builder, report *datasets.LoadReport) error {
	name := filepath.Base(path)
	return readLines(path, report, func(line int, text []byte) error {
		r, le := parseReview(text)
		if le != nil {
			return report.Reject(le.rowError(name, line))
		}
		hash := kuaisar.RowHash([]string{r.user, r.asin, strconv.FormatInt(r.time, 10)})
		b.AddRec(b.User(r.user), r.time*1000, b.Item(r.asin), hash)
		return nil
	})
}
