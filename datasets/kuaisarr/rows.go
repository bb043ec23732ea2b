package kuaisarr

import (
	"fmt"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

const (
	wantID     = "want a non-empty id"
	wantUserID = "want a non-empty user id that is not a negative integer"
	wantMillis = "want a Unix time in milliseconds, a non-negative integer or float such as 1685336204570.0"
	wantFlag   = "want 0 or 1"
	wantCode   = "want a non-negative integer category code, or an empty field for a missing level"
)

// fieldError is a bad field found by a row parser: its column index and what a valid row has.
type fieldError struct {
	col  int
	want string
}

// dfColumns are the indexes of the df.csv columns the loader uses.
type dfColumns struct {
	user, video, time, click int
}

// dfRow is one parsed df.csv row.
type dfRow struct {
	user, video string
	time        int64
	click       bool
}

func dfColumnsOf(t *datasets.CSVTable) (dfColumns, error) {
	var c dfColumns
	var err error
	for _, col := range []struct {
		dst   *int
		names []string
	}{
		{&c.user, []string{"user_id"}}, {&c.video, []string{"video_id", "item_id"}},
		{&c.time, []string{"timestamp"}}, {&c.click, []string{"is_click", "click"}},
	} {
		if *col.dst, err = t.Require(col.names...); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parseDFRow parses a trimmed df.csv row.
func parseDFRow(rec []string, c dfColumns) (dfRow, *fieldError) {
	r := dfRow{user: rec[c.user], video: rec[c.video]}
	if !kuaisar.ValidUserID(r.user) {
		return r, &fieldError{c.user, wantUserID}
	}
	if r.video == "" {
		return r, &fieldError{c.video, wantID}
	}
	var err error
	if r.time, err = kuaisar.ParseMillis(rec[c.time]); err != nil {
		return r, &fieldError{c.time, wantMillis}
	}
	if r.click, err = kuaisar.ParseFlag(rec[c.click]); err != nil {
		return r, &fieldError{c.click, wantFlag}
	}
	return r, nil
}

func readInteractions(path string, b *kuaisar.Builder, report *datasets.LoadReport) (err error) {
	start := time.Now()
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return err
	}
	defer func() { err = closeTable(t, err) }()
	c, err := dfColumnsOf(t)
	if err != nil {
		return err
	}
	var buf []string
	for t.Next() {
		buf = t.TrimmedRecord(buf)
		r, fe := parseDFRow(buf, c)
		if fe != nil {
			if err := t.Reject(fe.col, "invalid value", fe.want); err != nil {
				return err
			}
			continue
		}
		u := b.User(r.user)
		if !r.click {
			report.Ignored[t.Name()+": is_click = 0 (an impression, not a behaviour)"]++
			continue
		}
		b.AddRec(u, r.time, b.Item(r.video), kuaisar.RowHash(buf))
	}
	logRead(t, start)
	return t.Err()
}

func closeTable(t *datasets.CSVTable, err error) error {
	if cerr := t.Close(); err == nil && cerr != nil {
		return fmt.Errorf("close %s: %w", t.Name(), cerr)
	}
	return err
}
