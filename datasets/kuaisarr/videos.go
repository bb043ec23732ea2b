package kuaisarr

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

// levelPrefixes name the four category levels; video_features.csv calls the columns
// <prefix>_level_category_name although they hold integer codes, and <prefix>_level_category_id
// is accepted as well.
var levelPrefixes = [4]string{"first", "second", "third", "fourth"}

// videoColumns are the indexes of the video_features.csv columns the loader uses; -1 marks an
// absent optional level.
type videoColumns struct {
	video int
	level [4]int
}

// videoRow is one parsed video_features.csv row. codes[l] is -1 for an empty level field.
type videoRow struct {
	video string
	codes [4]int32
	line  int
	hash  uint64
}

func videoColumnsOf(t *datasets.CSVTable) (videoColumns, error) {
	var c videoColumns
	var err error
	if c.video, err = t.Require("video_id", "item_id"); err != nil {
		return c, err
	}
	for l, p := range levelPrefixes {
		names := []string{p + "_level_category_name", p + "_level_category_id"}
		if l == 0 {
			if c.level[0], err = t.Require(names...); err != nil {
				return c, err
			}
			continue
		}
		c.level[l] = t.Column(names...)
	}
	return c, nil
}

// parseVideoRow parses a trimmed video_features.csv row.
func parseVideoRow(rec []string, c videoColumns) (videoRow, *fieldError) {
	r := videoRow{video: rec[c.video]}
	if r.video == "" {
		return r, &fieldError{c.video, wantID}
	}
	for l, col := range c.level {
		r.codes[l] = -1
		if col < 0 || rec[col] == "" {
			continue
		}
		v, err := kuaisar.ParseCode(rec[col])
		if err != nil {
			return r, &fieldError{col, wantCode}
		}
		r.codes[l] = v
	}
	return r, nil
}

// readVideos reads video_features.csv whole, finds the placeholder codes, and sets the
// category path of every video that a behaviour references.
func readVideos(path string, b *kuaisar.Builder, share float64, report *datasets.LoadReport) (err error) {
	start := time.Now()
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return err
	}
	defer func() { err = closeTable(t, err) }()
	c, err := videoColumnsOf(t)
	if err != nil {
		return err
	}
	rows, err := readVideoRows(t, c)
	if err != nil {
		return err
	}
	logRead(t, start)

	placeholders := findPlaceholders(rows, share, report)
	for _, r := range rows {
		item, ok := b.ReferencedItem(r.video)
		if !ok {
			report.Ignored[t.Name()+": video that no behaviour references"]++
			continue
		}
		var categories []int32
		for l, code := range r.codes {
			if code < 0 || placeholders[l][code] {
				break
			}
			name := fmt.Sprintf("c%d_%d", l+1, code)
			categories = append(categories, b.Category(name, name))
		}
		b.SetItem(item, categories, nil)
	}
	return nil
}

// readVideoRows returns the rows in file order without exact duplicates (counted); a second,
// different row for a video is a bad row.
func readVideoRows(t *datasets.CSVTable, c videoColumns) ([]videoRow, error) {
	var rows []videoRow
	byVideo := map[string]int{}
	var buf []string
	for t.Next() {
		buf = t.TrimmedRecord(buf)
		r, fe := parseVideoRow(buf, c)
		if fe != nil {
			if err := t.Reject(fe.col, "invalid value", fe.want); err != nil {
				return nil, err
			}
			continue
		}
		r.line, r.hash = t.Line(), kuaisar.RowHash(buf)
		if i, dup := byVideo[r.video]; dup {
			if rows[i].hash == r.hash {
				t.Report().Duplicates[t.Name()+": exact duplicate row"]++
				continue
			}
			want := fmt.Sprintf("want one row per video; the first row for this video is line %d (the first row is kept under skip)", rows[i].line)
			if err := t.Reject(c.video, "duplicate id", want); err != nil {
				return nil, err
			}
			continue
		}
		byVideo[r.video] = len(rows)
		rows = append(rows, r)
	}
	return rows, t.Err()
}

// findPlaceholders returns, per level, the codes that label more than share of all videos, and
// notes each in the report.
func findPlaceholders(rows []videoRow, share float64, report *datasets.LoadReport) [4]map[int32]bool {
	var counts [4]map[int32]int
	var placeholders [4]map[int32]bool
	for l := range counts {
		counts[l] = map[int32]int{}
		placeholders[l] = map[int32]bool{}
	}
	for _, r := range rows {
		for l, code := range r.codes {
			if code >= 0 {
				counts[l][code]++
			}
		}
	}
	for l := range counts {
		codes := make([]int32, 0, len(counts[l]))
		for code := range counts[l] {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			frac := float64(counts[l][code]) / float64(len(rows))
			if frac > share {
				placeholders[l][code] = true
				report.Notes = append(report.Notes, fmt.Sprintf(
					"%s: code %d of level %d labels %.1f%% of videos (over %.0f%%), so it is read as an empty level and ends the category path",
					VideoFile, code, l+1, 100*frac, 100*share))
			}
		}
	}
	return placeholders
}

func logRead(t *datasets.CSVTable, start time.Time) {
	slog.Info("read file", "file", t.Name(), "rows", t.Report().RowsRead[t.Name()], "elapsed", time.Since(start).Round(time.Millisecond))
}
