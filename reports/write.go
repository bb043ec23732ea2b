package reports

import "github.com/srbench/srbench/results"

// WriteFile stores data at path atomically (see results.WriteFile): a reader never sees a partial
// table or plot, and the directory is created when missing.
func WriteFile(path string, data []byte) error {
	return results.WriteFile(path, data)
}
