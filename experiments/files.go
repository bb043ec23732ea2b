// Package experiments holds the experiment files of the harness, embedded in the binary so
// that `srbench run table1` works from any directory.
//
// Each file declares models, datasets, seeds and setting overrides; package
// experiments/config parses them and experiments/runner runs them.
package experiments

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed *.toml
var files embed.FS

// Names returns the names of the embedded experiments ("table1", "ablation"), sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".") // the root of an embed.FS always exists
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	slices.Sort(out)
	return out
}

// Read returns the text of the named embedded experiment and its file name
// ("experiments/table1.toml"). It returns an error listing the experiments when name is unknown.
func Read(name string) (text []byte, file string, err error) {
	text, err = files.ReadFile(name + ".toml")
	if err != nil {
		return nil, "", fmt.Errorf("unknown experiment %q: use one of %s, or the path of a .toml file", name, strings.Join(Names(), ", "))
	}
	return text, "experiments/" + name + ".toml", nil
}
