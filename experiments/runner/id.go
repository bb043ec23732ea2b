package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"

	"github.com/srbench/srbench/experiments/config"
)

// runIdentity is the input of a run id's hash. encoding/json writes map keys in sorted order,
// so its encoding does not depend on map iteration order.
type runIdentity struct {
	Model   string                 `json:"model"`
	Variant string                 `json:"variant"`
	Dataset string                 `json:"dataset"`
	Seed    uint64                 `json:"seed"`
	Config  map[string]config.Tree `json:"config"`
	// DataFingerprint is the hex hash of a real dataset's file contents, so changed data gives a
	// new id; it is empty, and left out of the hash input, for synthetic data.
	DataFingerprint string `json:"data_fingerprint,omitempty"`
}

// machineKeys are resolved keys that depend on the machine and not on the result, so the run
// id leaves them out. They are the directory of a real dataset's files, whose contents enter
// the id through the data fingerprint instead, and the goroutines of preprocessing, which never
// change the prepared data.
var machineKeys = map[string]string{"data": "path", "prep": "workers"}

// runID returns "<model>[-<variant>]-<dataset>-s<seed>-<first 8 hex digits of the SHA-256 of
// the run's identity>". dataFP is the dataset's DataFingerprint, empty for synthetic data.
func runID(model, variant, dataset string, seed uint64, values map[string]config.Tree, dataFP string) (string, error) {
	id := runIdentity{Model: model, Variant: variant, Dataset: dataset, Seed: seed, Config: map[string]config.Tree{}, DataFingerprint: dataFP}
	for section, tree := range values {
		t := maps.Clone(tree)
		delete(t, machineKeys[section])
		id.Config[section] = t
	}
	blob, err := json.Marshal(id)
	if err != nil {
		return "", fmt.Errorf("run id of %s on %s: %w", model, dataset, err)
	}
	sum := sha256.Sum256(blob)
	prefix := model
	if variant != "" {
		prefix += "-" + variant
	}
	return fmt.Sprintf("%s-%s-s%d-%s", safeName(prefix), safeName(dataset), seed, hex.EncodeToString(sum[:4])), nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName replaces characters that are unsafe in file names with "_".
func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }
