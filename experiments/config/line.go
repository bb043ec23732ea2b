package config

import (
	"slices"
	"strings"
)

// findLine returns the 1-based line of key inside the TOML table path in text, the line of
// the table header when key is empty, or 0 when neither is found. It reads headers
// ([a.b], [[a]]) and "key =" lines only, which is enough to point an error at its line.
func findLine(text string, table []string, key string) int {
	var current []string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			current = parseHeader(line)
			if key == "" && slices.Equal(current, table) {
				return i + 1
			}
			continue
		}
		if key == "" || !slices.Equal(current, table) {
			continue
		}
		name, _, ok := strings.Cut(line, "=")
		if ok && unquote(strings.TrimSpace(name)) == key {
			return i + 1
		}
	}
	return 0
}

// parseHeader splits a table header such as [data."kuaisar-r"] into its key parts.
func parseHeader(line string) []string {
	line = strings.Trim(line, "[] \t")
	if hash := strings.Index(line, "#"); hash >= 0 {
		line = strings.Trim(line[:hash], "[] \t")
	}
	parts := strings.Split(line, ".")
	for i, p := range parts {
		parts[i] = unquote(strings.TrimSpace(p))
	}
	return parts
}

func unquote(s string) string {
	return strings.Trim(s, `"'`)
}
