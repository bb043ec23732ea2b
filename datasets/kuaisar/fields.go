package kuaisar

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxMillis bounds timestamps to the integers a float64 holds exactly (2^53 ms is about the
// year 287,000), because the release stores them as floats such as "1.684742e+12".
const maxMillis = 1 << 53

// ParseMillis parses a Unix time in milliseconds written as an integer ("1684742000123") or as a
// float ("1685336204570.0", "1.684742e+12"). A fractional millisecond is rounded to the nearest
// one. It rejects negative, non-finite and out-of-range values.
func ParseMillis(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v < 0 || v > maxMillis {
			return 0, fmt.Errorf("timestamp %d out of range [0, 2^53]", v)
		}
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("timestamp %q is not a number: %w", s, err)
	}
	if math.IsNaN(f) || f < 0 || f > maxMillis {
		return 0, fmt.Errorf("timestamp %q out of range [0, 2^53]", s)
	}
	return int64(math.Round(f)), nil
}

// ParseFlag parses a 0/1 label such as click or is_click. It accepts "0" and "1", and "0.0" and
// "1.0" as pandas writes an integer column that once held a missing value.
func ParseFlag(s string) (bool, error) {
	switch s {
	case "1", "1.0":
		return true, nil
	case "0", "0.0":
		return false, nil
	}
	return false, fmt.Errorf("label %q is not 0 or 1", s)
}

// maxCode bounds categorical codes, so that a corrupt value cannot make a model allocate an
// embedding table of billions of rows. The largest KuaiSAR code (an item category id) is in
// the hundreds.
const maxCode = 1 << 24

// ParseCode parses a categorical code: a non-negative integer of at most 2^24.
func ParseCode(s string) (int32, error) {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("code %q is not an integer: %w", s, err)
	}
	if v < 0 || v > maxCode {
		return 0, fmt.Errorf("code %d out of range [0, 2^24]", v)
	}
	return int32(v), nil
}

// ParseTokenList parses an anonymized token list as the release writes it, "[12, 7, 301]", into
// its token ids. "[]" is the empty list. Every token must be a non-negative integer.
func ParseTokenList(s string) ([]int64, error) {
	inner, ok := strings.CutPrefix(s, "[")
	if ok {
		inner, ok = strings.CutSuffix(inner, "]")
	}
	if !ok {
		return nil, fmt.Errorf("token list %q is not enclosed in [ and ]", s)
	}
	if strings.TrimSpace(inner) == "" {
		return []int64{}, nil
	}
	parts := strings.Split(inner, ",")
	tokens := make([]int64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("token list %q: element %d (%q) is not a non-negative integer", s, i, strings.TrimSpace(p))
		}
		tokens[i] = v
	}
	return tokens, nil
}

// ValidUserID reports whether s can be a user id: non-empty, and not a negative integer, because
// the KuaiSAR releases number users from 0.
func ValidUserID(s string) bool {
	if s == "" {
		return false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err != nil || n >= 0
}
