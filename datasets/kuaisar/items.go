package kuaisar

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/srbench/srbench/datasets"
)

// levelNames are the prefixes of the four category levels in item_features.csv; level i has the
// columns <prefix>_level_category_id, _name and _name_en.
var levelNames = [4]string{"first", "second", "third", "fourth"}

// itemColumns are the indexes of the item_features.csv columns the loader uses; -1 marks an
// optional column that is absent.
type itemColumns struct {
	item, caption int
	levelID       [4]int
	levelName     [4]int
	levelNameEn   [4]int
}

// itemRow is one parsed item_features.csv row.
type itemRow struct {
	item    string
	caption []int64
	// levels holds, per category level present, its source id and display name; it ends at the
	// first absent level.
	levels []itemLevel
}

type itemLevel struct {
	id, name string
}

func itemColumnsOf(t *datasets.CSVTable) (itemColumns, error) {
	c := itemColumns{caption: t.Column("caption")}
	var err error
	if c.item, err = t.Require("item_id"); err != nil {
		return c, err
	}
	for l, prefix := range levelNames {
		if c.levelID[l], err = t.Require(prefix + "_level_category_id"); err != nil {
			return c, err
		}
		c.levelName[l] = t.Column(prefix + "_level_category_name")
		c.levelNameEn[l] = t.Column(prefix + "_level_category_name_en")
	}
	return c, nil
}

// parseItemRow parses the used fields of an item_features.csv row. Fields must be trimmed.
//
// A category level is absent when its id is empty or its name is the release's placeholder for
// a missing level, "空" in the Chinese name column or "empty" in the English one. The example
// row of the release's field table shows third_level_category_id 0 with those names. The path
// ends at the first absent level.
//
// NOTE: without the name columns, a missing level written as id 0 is read as a real category,
// because id 0 alone is not documented as the placeholder.
func parseItemRow(rec []string, c itemColumns) (itemRow, *fieldError) {
	r := itemRow{item: rec[c.item]}
	if r.item == "" {
		return r, invalid(c.item, wantID)
	}
	if c.caption >= 0 && rec[c.caption] != "" {
		var err error
		if r.caption, err = ParseTokenList(rec[c.caption]); err != nil {
			return r, invalid(c.caption, wantTokenList)
		}
	}
	for l := range levelNames {
		id := rec[c.levelID[l]]
		name, nameEn := optional(rec, c.levelName[l]), optional(rec, c.levelNameEn[l])
		if id == "" || name == "空" || strings.EqualFold(nameEn, "empty") {
			break
		}
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return r, invalid(c.levelID[l], "want an integer category id, or an empty field for a missing level")
		}
		r.levels = append(r.levels, itemLevel{id: id, name: cmp.Or(nameEn, name, fmt.Sprintf("%s:%s", levelNames[l], id))})
	}
	return r, nil
}

func optional(rec []string, col int) string {
	if col < 0 {
		return ""
	}
	return rec[col]
}

// itemSeen remembers the first row of a referenced item, to tell exact duplicates from
// conflicting rows.
type itemSeen struct {
	line int
	hash uint64
}

func readItems(path string, b *Builder, report *datasets.LoadReport) (err error) {
	start := time.Now()
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return err
	}
	defer func() { err = closeTable(t, err) }()
	c, err := itemColumnsOf(t)
	if err != nil {
		return err
	}
	seen := map[int32]itemSeen{}
	var buf []string
	for t.Next() {
		logProgress(t, start)
		buf = t.TrimmedRecord(buf)
		if err := addItem(t, b, buf, c, seen); err != nil {
			return err
		}
	}
	return t.Err()
}

// addItem records one trimmed item row. Rows of items that no behaviour references are counted
// and otherwise left unparsed beyond item_id, which keeps loading the multi-million-row release
// fast.
func addItem(t *datasets.CSVTable, b *Builder, rec []string, c itemColumns, seen map[int32]itemSeen) error {
	if rec[c.item] == "" {
		return t.Reject(c.item, "invalid value", wantID)
	}
	item, ok := b.ReferencedItem(rec[c.item])
	if !ok {
		t.Report().Ignored[t.Name()+": item that no behaviour references"]++
		return nil
	}

	h := RowHash(rec)
	if first, dup := seen[item]; dup {
		if first.hash == h {
			t.Report().Duplicates[t.Name()+": exact duplicate row"]++
			return nil
		}
		return t.Reject(c.item, "duplicate id", fmt.Sprintf("want one row per item; the first row for this item is line %d (the first row is kept under skip)", first.line))
	}
	r, fe := parseItemRow(rec, c)
	if fe != nil {
		return t.Reject(fe.col, fe.problem, fe.want)
	}
	seen[item] = itemSeen{line: t.Line(), hash: h}

	categories := make([]int32, len(r.levels))
	for l, level := range r.levels {
		categories[l] = b.Category(fmt.Sprintf("%d:%s", l+1, level.id), level.name)
	}
	var tokens []int32
	for _, tok := range r.caption {
		tokens = append(tokens, b.Queries.Words.ID(strconv.FormatInt(tok, 10)))
	}
	b.SetItem(item, categories, tokens)
	return nil
}
