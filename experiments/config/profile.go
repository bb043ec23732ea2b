package config

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// builtin holds the profiles (a layer between the experiment file and the command line) and
// the dataset-family layers.
//
//go:embed profiles/*.toml families/*.toml
var builtin embed.FS

// Profiles returns the names of the built-in profiles, sorted.
func Profiles() []string { return names("profiles") }

// Profile returns the named built-in profile as a layer. It returns an error listing the
// profiles when name is unknown.
func Profile(name string) (*Layer, error) {
	return loadBuiltin("profiles", "profile", name)
}

// Families returns the names of the dataset families that have a layer, sorted.
func Families() []string { return names("families") }

// familyLayer returns the dataset layer of a family ("kuaisar", "amazon"; case-insensitive).
func familyLayer(family string) (*Layer, error) {
	return loadBuiltin("families", "family", strings.ToLower(family))
}

func names(dir string) []string {
	entries, _ := fs.ReadDir(builtin, dir) // the directory is embedded, so it exists
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	slices.Sort(out)
	return out
}

func loadBuiltin(dir, kind, name string) (*Layer, error) {
	file := path.Join(dir, name+".toml")
	text, err := builtin.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("unknown %s %q: use one of %q", kind, name, names(dir))
	}
	var doc Tree
	if _, err := toml.Decode(string(text), &doc); err != nil {
		return nil, fmt.Errorf("built-in %s %s: invalid TOML: %w", kind, file, err)
	}
	return layerFromTree(kind+" "+name, string(text), doc, []string{"description"})
}
