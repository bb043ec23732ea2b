package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCSVTable checks that no file content makes CSVTable panic, and that under Skip every data
// row is either returned or counted as skipped. Its seed corpus in testdata/fuzz runs with plain
// go test.
func FuzzCSVTable(f *testing.F) {
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		report := NewLoadReport("fuzz", Skip)
		table, err := OpenCSV(path, report)
		if err != nil {
			return
		}
		defer table.Close()
		rows := 0
		for table.Next() {
			rows++
			if len(table.Record()) != len(table.Header()) {
				t.Fatalf("row of %d fields under a header of %d", len(table.Record()), len(table.Header()))
			}
		}
		if table.Err() != nil {
			return
		}
		if got := rows + report.SkippedTotal(); got != report.RowsRead["f.csv"] {
			t.Errorf("returned %d + skipped %d != read %d", rows, report.SkippedTotal(), report.RowsRead["f.csv"])
		}
	})
}
