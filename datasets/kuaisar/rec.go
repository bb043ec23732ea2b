package kuaisar

import (
	"time"

	"github.com/srbench/srbench/datasets"
)

// fieldError is a bad field found by a row parser: the column index in the row and the reason.
type fieldError struct {
	col     int
	problem string
	want    string
}

func invalid(col int, want string) *fieldError {
	return &fieldError{col: col, problem: "invalid value", want: want}
}

const (
	wantID     = "want a non-empty id"
	wantUserID = "want a non-empty user id that is not a negative integer"
	wantMillis = "want a Unix time in milliseconds, a non-negative integer or float such as 1684742000123"
	wantFlag   = "want 0 or 1"
)

// recColumns are the indexes of the rec_inter.csv columns the loader uses.
type recColumns struct {
	user, item, time, click int
}

// recRow is one parsed rec_inter.csv row.
type recRow struct {
	user, item string
	time       int64
	click      bool
}

func recColumnsOf(t *datasets.CSVTable) (recColumns, error) {
	var c recColumns
	var err error
	for _, col := range []struct {
		dst  *int
		name string
	}{{&c.user, "user_id"}, {&c.item, "item_id"}, {&c.time, "timestamp"}, {&c.click, "click"}} {
		if *col.dst, err = t.Require(col.name); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parseRecRow parses the used fields of a rec_inter.csv row. Fields must be trimmed already.
func parseRecRow(rec []string, c recColumns) (recRow, *fieldError) {
	r := recRow{user: rec[c.user], item: rec[c.item]}
	if !ValidUserID(r.user) {
		return r, invalid(c.user, wantUserID)
	}
	if r.item == "" {
		return r, invalid(c.item, wantID)
	}
	var err error
	if r.time, err = ParseMillis(rec[c.time]); err != nil {
		return r, invalid(c.time, wantMillis)
	}
	if r.click, err = ParseFlag(rec[c.click]); err != nil {
		return r, invalid(c.click, wantFlag)
	}
	return r, nil
}

func readRec(path string, b *Builder, report *datasets.LoadReport) (err error) {
	start := time.Now()
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return err
	}
	defer func() { err = closeTable(t, err) }()
	c, err := recColumnsOf(t)
	if err != nil {
		return err
	}
	var buf []string
	for t.Next() {
		logProgress(t, start)
		buf = t.TrimmedRecord(buf)
		r, fe := parseRecRow(buf, c)
		if fe != nil {
			if err := t.Reject(fe.col, fe.problem, fe.want); err != nil {
				return err
			}
			continue
		}
		u := b.User(r.user)
		if !r.click {
			report.Ignored[t.Name()+": click = 0 (an impression, not a behaviour)"]++
			continue
		}
		b.AddRec(u, r.time, b.Item(r.item), RowHash(buf))
	}
	return t.Err()
}
