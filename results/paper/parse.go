package paper

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// record is one data line of a CSV file with its 1-based line number.
type record struct {
	line   int
	fields []string
}

// readCSV returns the data lines of text after its header, skipping lines that start with '#'.
// It checks that the header equals want.
func readCSV(name, text string, want []string) ([]record, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = len(want)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("paper: %s: reading the header: %w", name, err)
	}
	for i, field := range header {
		if field != want[i] {
			return nil, fmt.Errorf("paper: %s: header column %d is %q, want %q", name, i+1, field, want[i])
		}
	}
	var out []record
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("paper: %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		out = append(out, record{line: line, fields: fields})
	}
}

// parseValue parses a metric value in [0, 1].
func parseValue(name string, line int, column, text string) (float64, error) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("paper: %s line %d: field %s: %q is not a number: %w", name, line, column, text, err)
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("paper: %s line %d: field %s: %v is outside [0, 1]", name, line, column, v)
	}
	return v, nil
}

func parseTable1(name, text string) ([]Table1Row, error) {
	header := append([]string{"task", "method", "joint", "dataset"}, "HR@1", "HR@5", "HR@10", "NDCG@5", "NDCG@10")
	records, err := readCSV(name, text, header)
	if err != nil {
		return nil, err
	}
	rows := make([]Table1Row, 0, len(records))
	for _, rec := range records {
		row, err := parseTable1Row(name, header, rec)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func parseTable1Row(name string, header []string, rec record) (Table1Row, error) {
	f := rec.fields
	row := Table1Row{Task: f[0], Method: f[1], Dataset: f[3], Values: make(map[string]float64, 5)}
	if row.Task != "rec" && row.Task != "search" {
		return Table1Row{}, fmt.Errorf("paper: %s line %d: field task: %q is neither \"rec\" nor \"search\"", name, rec.line, row.Task)
	}
	joint, err := strconv.ParseBool(f[2])
	if err != nil {
		return Table1Row{}, fmt.Errorf("paper: %s line %d: field joint: %q is not true or false: %w", name, rec.line, f[2], err)
	}
	row.Joint = joint
	for i := 4; i < len(f); i++ {
		v, err := parseValue(name, rec.line, header[i], f[i])
		if err != nil {
			return Table1Row{}, err
		}
		row.Values[strings.ToLower(header[i])] = v
	}
	return row, nil
}

func parseTable2(name, text string) ([]Table2Row, error) {
	header := []string{"variant"}
	for _, scope := range Table2Scopes() {
		header = append(header, scope+"_NDCG@5", scope+"_NDCG@10")
	}
	records, err := readCSV(name, text, header)
	if err != nil {
		return nil, err
	}
	rows := make([]Table2Row, 0, len(records))
	for _, rec := range records {
		row := Table2Row{Variant: rec.fields[0], Values: make(map[string]map[string]float64, 3)}
		for i := 1; i < len(rec.fields); i++ {
			v, err := parseValue(name, rec.line, header[i], rec.fields[i])
			if err != nil {
				return nil, err
			}
			scope, metric, _ := strings.Cut(header[i], "_")
			if row.Values[scope] == nil {
				row.Values[scope] = make(map[string]float64, 2)
			}
			row.Values[scope][strings.ToLower(metric)] = v
		}
		rows = append(rows, row)
	}
	return rows, nil
}
