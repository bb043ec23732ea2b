package amazon

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

// metaItem is one parsed metadata line.
type metaItem struct {
	asin string
	// paths are the category paths, each from the coarsest level to the finest.
	paths [][]string
}

// parseMeta parses a metadata line, strict JSON or a Python dict literal (the 2014 files). It
// requires asin. Category paths come from "categories" (a list of paths, as in the 2014 files)
// or "category" (one flat path, as in the 2018 files). An item with neither has no categories.
func parseMeta(text []byte) (metaItem, *lineError) {
	obj, le := decodeObject(text)
	if le != nil {
		return metaItem{}, le
	}
	asin, ok := obj["asin"].(string)
	if !ok || asin == "" {
		return metaItem{}, objectFieldErr(obj, "asin", "want a non-empty string")
	}
	m := metaItem{asin: asin}
	if raw, ok := obj["categories"]; ok {
		paths, ok := raw.([]any)
		if !ok {
			return m, objectFieldErr(obj, "categories", "want a list of category paths, each a list of strings")
		}
		for _, p := range paths {
			path, ok := stringList(p)
			if !ok {
				return m, objectFieldErr(obj, "categories", "want a list of category paths, each a list of strings")
			}
			m.paths = append(m.paths, path)
		}
	} else if raw, ok := obj["category"]; ok {
		path, ok := stringList(raw)
		if !ok {
			return m, objectFieldErr(obj, "category", "want a list of strings")
		}
		m.paths = [][]string{path}
	}
	return m, nil
}

// decodeObject decodes a line as a JSON object, or else as a Python dict literal.
func decodeObject(text []byte) (map[string]any, *lineError) {
	var v any
	jsonErr := json.Unmarshal(text, &v)
	if jsonErr != nil {
		var pyErr error
		if v, pyErr = ParsePythonLiteral(string(text)); pyErr != nil {
			return nil, &lineError{problem: "malformed line",
				want: fmt.Sprintf("want a JSON object or a Python dict literal; as JSON: %v; as Python: %v", jsonErr, pyErr)}
		}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &lineError{problem: "malformed line", want: "want an object (a dict) per line"}
	}
	return obj, nil
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(list))
	for i, x := range list {
		if out[i], ok = x.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

func objectFieldErr(obj map[string]any, key, want string) *lineError {
	v, ok := obj[key]
	if !ok {
		return &lineError{field: key, problem: datasets.MissingField, want: want}
	}
	return &lineError{field: key, value: shorten(fmt.Sprint(v)), problem: "invalid value", want: want}
}

// itemPath returns the category path stored as the item's Categories: the first path with more
// than one level, or else the first path.
func itemPath(paths [][]string) []string {
	for _, p := range paths {
		if len(p) > 1 {
			return p
		}
	}
	if len(paths) > 0 {
		return paths[0]
	}
	return nil
}

// queryPaths returns the paths with more than one level, the ones a query may be built from.
func queryPaths(paths [][]string) [][]string {
	var out [][]string
	for _, p := range paths {
		if len(p) > 1 {
			out = append(out, p)
		}
	}
	return out
}

// readMeta sets the categories of every reviewed item and returns the query paths per asin.
// Lines of items without reviews are counted and otherwise unused. A second line for an asin is
// counted as a duplicate when identical and is a bad row otherwise.
func readMeta(path string, b *kuaisar.Builder, report *datasets.LoadReport) (map[string][][]string, error) {
	name := filepath.Base(path)
	paths := map[string][][]string{}
	firstLine := map[string]int{}
	firstHash := map[string]uint64{}
	err := readLines(path, report, func(line int, text []byte) error {
		m, le := parseMeta(text)
		if le != nil {
			return report.Reject(le.rowError(name, line))
		}
		item, ok := b.ReferencedItem(m.asin)
		if !ok {
			report.Ignored[name+": item that no review references"]++
			return nil
		}
		hash := kuaisar.RowHash([]string{string(text)})
		if first, dup := firstLine[m.asin]; dup {
			if firstHash[m.asin] == hash {
				report.Duplicates[name+": exact duplicate line"]++
				return nil
			}
			return report.Reject(&datasets.RowError{File: name, Line: line, Field: "asin", Value: m.asin, Problem: "duplicate id",
				Want: fmt.Sprintf("want one line per item; the first line for this item is line %d (the first line is kept under skip)", first)})
		}
		firstLine[m.asin], firstHash[m.asin] = line, hash
		b.SetItem(item, categoryIDs(b, itemPath(m.paths)), nil)
		paths[m.asin] = queryPaths(m.paths)
		return nil
	})
	return paths, err
}

// categoryIDs registers each level of path as a category keyed by its whole prefix, so that
// equal names under different parents stay distinct, and named by the level's own name.
func categoryIDs(b *kuaisar.Builder, path []string) []int32 {
	ids := make([]int32, len(path))
	for l, name := range path {
		ids[l] = b.Category(strings.Join(path[:l+1], "\x00"), name)
	}
	return ids
}
