package kuaisar

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/srbench/srbench/datasets"
)

// UserFeatures are the categorical user features of a user_features.csv file.
type UserFeatures struct {
	// Names lists the feature columns in the order of each user's codes.
	Names []string
	// ByUser maps a user's source key to its codes.
	ByUser map[string][]int32
	// Cardinality gives per feature one more than the largest code in the file.
	Cardinality []int
}

// ReadUserFeatures reads a KuaiSAR user_features.csv. Required columns are user_id,
// search_active_level and rec_active_level; the release spells the last one reco_active_level,
// as the KuaiSAR-R slice does, and both spellings are accepted. Every onehot_feat<N> column
// present is kept. Feature order is onehot_feat1, onehot_feat2, … (by N), then
// search_active_level, then rec_active_level. Codes must be non-negative integers.
//
// An exact duplicate row is counted and dropped; two different rows for one user are a bad
// row, and under Skip the first row wins.
func ReadUserFeatures(path string, report *datasets.LoadReport) (_ *UserFeatures, err error) {
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return nil, err
	}
	defer func() { err = closeTable(t, err) }()
	userCol, cols, names, err := userColumnsOf(t)
	if err != nil {
		return nil, err
	}
	uf := &UserFeatures{Names: names, ByUser: map[string][]int32{}, Cardinality: make([]int, len(cols))}
	seen := map[string]itemSeen{}
	var buf []string
	for t.Next() {
		buf = t.TrimmedRecord(buf)
		if err := uf.add(t, buf, userCol, cols, seen); err != nil {
			return nil, err
		}
	}
	return uf, t.Err()
}

// userColumnsOf returns the user_id column and the feature columns with their names, in
// feature order.
func userColumnsOf(t *datasets.CSVTable) (userCol int, cols []int, names []string, err error) {
	if userCol, err = t.Require("user_id"); err != nil {
		return
	}
	type onehot struct {
		n   int
		col int
	}
	var onehots []onehot
	for col, h := range t.Header() {
		if rest, ok := strings.CutPrefix(h, "onehot_feat"); ok {
			if n, err := strconv.Atoi(rest); err == nil {
				onehots = append(onehots, onehot{n, col})
			}
		}
	}
	slices.SortFunc(onehots, func(a, b onehot) int { return cmp.Compare(a.n, b.n) })
	for _, o := range onehots {
		cols = append(cols, o.col)
		names = append(names, t.Header()[o.col])
	}
	for _, alternatives := range [][]string{{"search_active_level"}, {"rec_active_level", "reco_active_level"}} {
		col, err := t.Require(alternatives...)
		if err != nil {
			return 0, nil, nil, err
		}
		cols = append(cols, col)
		names = append(names, t.Header()[col])
	}
	return userCol, cols, names, nil
}

// parseUserRow parses the user id and feature codes of a trimmed user_features.csv row.
func parseUserRow(rec []string, userCol int, cols []int) (string, []int32, *fieldError) {
	if !ValidUserID(rec[userCol]) {
		return "", nil, invalid(userCol, wantUserID)
	}
	codes := make([]int32, len(cols))
	for i, col := range cols {
		v, err := ParseCode(rec[col])
		if err != nil {
			return "", nil, invalid(col, "want a non-negative integer code")
		}
		codes[i] = v
	}
	return rec[userCol], codes, nil
}

func (uf *UserFeatures) add(t *datasets.CSVTable, rec []string, userCol int, cols []int, seen map[string]itemSeen) error {
	user, codes, fe := parseUserRow(rec, userCol, cols)
	if fe != nil {
		return t.Reject(fe.col, fe.problem, fe.want)
	}
	h := RowHash(rec)
	if first, dup := seen[user]; dup {
		if first.hash == h {
			t.Report().Duplicates[t.Name()+": exact duplicate row"]++
			return nil
		}
		return t.Reject(userCol, "duplicate id", fmt.Sprintf("want one row per user; the first row for this user is line %d (the first row is kept under skip)", first.line))
	}
	seen[user] = itemSeen{line: t.Line(), hash: h}
	uf.ByUser[user] = codes
	for i, v := range codes {
		uf.Cardinality[i] = max(uf.Cardinality[i], int(v)+1)
	}
	return nil
}
