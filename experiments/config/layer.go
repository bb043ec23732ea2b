package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Tree is one decoded TOML table: keys mapped to the values BurntSushi/toml decodes (int64,
// float64, string, bool, []any and nested map[string]any).
type Tree = map[string]any

// Layer is one source of settings. Sections a layer does not set are nil.
type Layer struct {
	// Name identifies the layer in errors and in the origin of resolved keys: a file path,
	// "defaults", "model dhim", "profile quick" or "--set".
	Name string
	// Text is the layer's TOML source, where error messages find the line of a key. It is
	// empty for layers that do not come from a file.
	Text string

	Train Tree
	Prep  Tree
	// Synthetic holds keys applied to every dataset whose source is synthetic (profiles use it
	// to shrink the data).
	Synthetic Tree
	// Data maps a dataset name of the experiment to its keys.
	Data map[string]Tree
	// Model maps a registry model name to its option keys.
	Model map[string]Tree
}

// Set stores value at a dotted key path such as "train.epochs", "data.kuaisar.users" or
// "model.dhim.gamma". It returns an error naming the path when its section is unknown or the
// path has the wrong number of parts.
func (l *Layer) Set(path string, value any) error {
	parts := strings.Split(path, ".")
	if slices.Contains(parts, "") {
		return fmt.Errorf("invalid key %q: a key has the form section.key or section.name.key, without empty parts", path)
	}
	switch parts[0] {
	case "train", "prep", "synthetic":
		if len(parts) != 2 {
			return fmt.Errorf("invalid key %q: want %s.<key>, such as train.epochs", path, parts[0])
		}
		setKey(l.section(parts[0]), parts[1], value)
	case "data", "model":
		if len(parts) != 3 {
			return fmt.Errorf("invalid key %q: want %s.<name>.<key>, such as data.kuaisar.users or model.dhim.gamma", path, parts[0])
		}
		named := l.named(parts[0])
		if named[parts[1]] == nil {
			named[parts[1]] = Tree{}
		}
		named[parts[1]][parts[2]] = value
	default:
		return fmt.Errorf("invalid key %q: unknown section %q; use train, prep, synthetic, data or model", path, parts[0])
	}
	return nil
}

// section returns the flat section of the given name, creating it when nil.
func (l *Layer) section(name string) Tree {
	ptr := &l.Train
	switch name {
	case "prep":
		ptr = &l.Prep
	case "synthetic":
		ptr = &l.Synthetic
	}
	if *ptr == nil {
		*ptr = Tree{}
	}
	return *ptr
}

// named returns the per-name section "data" or "model", creating it when nil.
func (l *Layer) named(name string) map[string]Tree {
	ptr := &l.Model
	if name == "data" {
		ptr = &l.Data
	}
	if *ptr == nil {
		*ptr = map[string]Tree{}
	}
	return *ptr
}

func setKey(t Tree, key string, value any) { t[key] = value }

// ParseSet parses one command-line override "key=value" into l. The value is read as a TOML
// value (10, 1e-3, true, "text", [1, 2]). A value that is not valid TOML is taken as a plain
// string, so paths need no quotes.
func (l *Layer) ParseSet(arg string) error {
	key, raw, ok := strings.Cut(arg, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fmt.Errorf("invalid --set %q: want key=value, such as train.epochs=10", arg)
	}
	return l.Set(key, parseValue(strings.TrimSpace(raw)))
}

// parseValue reads raw as a TOML value, falling back to the raw string.
func parseValue(raw string) any {
	var holder struct {
		V any `toml:"v"`
	}
	if _, err := toml.Decode("v = "+raw, &holder); err != nil || holder.V == nil {
		return raw
	}
	return holder.V
}

// layerFromTree builds a layer from a decoded TOML document whose top level holds the
// sections train, prep, synthetic, data and model. Keys of other names are returned in
// unknown, in sorted order; the caller decides whether they are allowed.
func layerFromTree(name, text string, doc Tree, allowed []string) (*Layer, error) {
	l := &Layer{Name: name, Text: text}
	for _, key := range slices.Sorted(maps.Keys(doc)) {
		value := doc[key]
		switch key {
		case "train", "prep", "synthetic":
			t, ok := value.(Tree)
			if !ok {
				return nil, l.errorf([]string{key}, "", "%s must be a table ([%s]), not %T", key, key, value)
			}
			*ptrOf(l, key) = t
		case "data", "model":
			named, err := namedTables(l, key, value)
			if err != nil {
				return nil, err
			}
			if key == "data" {
				l.Data = named
			} else {
				l.Model = named
			}
		default:
			if !slices.Contains(allowed, key) {
				accepted := append([]string{"data", "model", "prep", "synthetic", "train"}, allowed...)
				slices.Sort(accepted)
				return nil, l.errorf(nil, key, "unknown key %q: accepted keys are %s", key, strings.Join(accepted, ", "))
			}
		}
	}
	return l, nil
}

func ptrOf(l *Layer, section string) *Tree {
	switch section {
	case "prep":
		return &l.Prep
	case "synthetic":
		return &l.Synthetic
	}
	return &l.Train
}

// namedTables checks that a data or model section is a table of tables.
func namedTables(l *Layer, section string, value any) (map[string]Tree, error) {
	outer, ok := value.(Tree)
	if !ok {
		return nil, l.errorf(nil, section, "%s must be a table of tables ([%s.<name>]), not %T", section, section, value)
	}
	out := make(map[string]Tree, len(outer))
	for name, v := range outer {
		t, ok := v.(Tree)
		if !ok {
			return nil, l.errorf([]string{section}, name, "%s.%s must be a table ([%s.%s]), not a %T", section, name, section, name, v)
		}
		out[name] = t
	}
	return out, nil
}

// errorf formats an error located at key inside the table path of the layer: "file:line:
// [table] message". table may be nil for top-level keys and key may be empty for a table.
func (l *Layer) errorf(table []string, key string, format string, args ...any) error {
	where := l.Name
	if line := findLine(l.Text, table, key); line > 0 {
		where = fmt.Sprintf("%s:%d", l.Name, line)
	}
	if len(table) > 0 {
		where += fmt.Sprintf(": [%s]", strings.Join(table, "."))
	}
	return fmt.Errorf("%s: %w", where, fmt.Errorf(format, args...))
}
