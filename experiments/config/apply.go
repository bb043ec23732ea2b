package config

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// section is the destination of one layer's table: a pointer to a struct with toml tags.
type section struct {
	// path names the table in errors ("train", "model.dhim").
	path []string
	dst  any
	// reserved maps keys that no layer may set to the reason, such as "seed" set by the
	// experiment seed.
	reserved map[string]string
}

// apply decodes every key of t into the section's struct, one key at a time in sorted order,
// and records in origin which layer set each key. It returns an error naming the layer's file
// and line, the key, and the accepted keys for an unknown key, a reserved key or a value of
// the wrong type.
func (s section) apply(l *Layer, t Tree, origin map[string]string) error {
	for _, key := range slices.Sorted(maps.Keys(t)) {
		if reason, ok := s.reserved[key]; ok {
			return l.errorf(s.path, key, "key %q cannot be set here: %s", key, reason)
		}
		unknown, err := decodeKey(key, t[key], s.dst)
		if err != nil {
			return l.errorf(s.path, key, "%s = %s is invalid: %w", key, formatValue(t[key]), err)
		}
		if unknown {
			return l.errorf(s.path, key, "unknown key %q: accepted keys are %s", key, strings.Join(s.accepted(), ", "))
		}
		origin[strings.Join(append(slices.Clone(s.path), key), ".")] = l.Name
	}
	return nil
}

// accepted returns the keys of the section's struct that a layer may set, sorted.
func (s section) accepted() []string {
	keys := structKeys(s.dst)
	return slices.DeleteFunc(keys, func(k string) bool {
		_, ok := s.reserved[k]
		return ok
	})
}

// tomlPrefix matches the position prefix of BurntSushi/toml's decoding errors, which refers to
// the one-key document decodeKey builds and not to the user's file.
var tomlPrefix = regexp.MustCompile(`^toml: (line \d+ )?(\(last key "[^"]*"\): )?`)

// decodeKey decodes {key: value} into dst. unknown is true when dst has no field for key, as
// reported by MetaData.Undecoded.
func decodeKey(key string, value any, dst any) (unknown bool, err error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(Tree{key: value}); err != nil {
		return false, fmt.Errorf("value cannot be encoded as TOML: %w", err)
	}
	md, err := toml.Decode(buf.String(), dst)
	if err != nil {
		return false, fmt.Errorf("%s", tomlPrefix.ReplaceAllString(err.Error(), ""))
	}
	return len(md.Undecoded()) > 0, nil
}

// structKeys returns the TOML keys of the exported fields of the struct that src points to,
// sorted. A field's key is its toml tag name, or its Go name without a tag; fields tagged
// `toml:"-"` are left out.
func structKeys(src any) []string {
	t := reflect.TypeOf(src)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return keys
}

// flatten returns src's fields as a Tree keyed by their toml tags, by encoding src as TOML and
// decoding the text, so the values have the types a file would give them. Fields tagged
// `toml:"-"` are left out.
func flatten(src any) (Tree, error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(src); err != nil {
		return nil, fmt.Errorf("config: encoding %T: %w", src, err)
	}
	out := Tree{}
	if _, err := toml.Decode(buf.String(), &out); err != nil {
		return nil, fmt.Errorf("config: decoding the TOML form of %T: %w", src, err)
	}
	return out, nil
}

// formatValue writes v the way it would appear in a TOML file.
func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
