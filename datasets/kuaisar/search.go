package kuaisar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/srbench/srbench/datasets"
)

// srcColumns are the indexes of the src_inter.csv columns the loader uses.
type srcColumns struct {
	user, session, time, keyword, item, clicks int
}

// srcRow is one parsed src_inter.csv row: one item shown in a search session.
type srcRow struct {
	user, session, item string
	time                int64
	keyword             []int64
	clicked             bool
	// timeText and keywordText are the raw fields, for messages.
	timeText, keywordText string
}

const (
	wantTokenList = `want a token list such as "[12, 7, 301]"`
	wantCount     = "want a non-negative integer click count"
)

func srcColumnsOf(t *datasets.CSVTable) (srcColumns, error) {
	var c srcColumns
	var err error
	for _, col := range []struct {
		dst  *int
		name string
	}{
		{&c.user, "user_id"}, {&c.session, "search_session_id"}, {&c.time, "search_session_timestamp"},
		{&c.keyword, "keyword"}, {&c.item, "item_id"}, {&c.clicks, "click_cnt"},
	} {
		if *col.dst, err = t.Require(col.name); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parseSrcRow parses the used fields of a src_inter.csv row. Fields must be trimmed already.
func parseSrcRow(rec []string, c srcColumns) (srcRow, *fieldError) {
	r := srcRow{user: rec[c.user], session: rec[c.session], item: rec[c.item], timeText: rec[c.time], keywordText: rec[c.keyword]}
	if !ValidUserID(r.user) {
		return r, invalid(c.user, wantUserID)
	}
	for _, col := range []int{c.session, c.item} {
		if rec[col] == "" {
			return r, invalid(col, wantID)
		}
	}
	var err error
	if r.time, err = ParseMillis(rec[c.time]); err != nil {
		return r, invalid(c.time, wantMillis)
	}
	if r.keyword, err = ParseTokenList(rec[c.keyword]); err != nil {
		return r, invalid(c.keyword, wantTokenList)
	}
	n, err := strconv.ParseInt(rec[c.clicks], 10, 64)
	if err != nil || n < 0 {
		return r, invalid(c.clicks, wantCount)
	}
	r.clicked = n > 0
	return r, nil
}

// session accumulates the rows of one search session.
type session struct {
	user    int32
	time    int64
	query   int32
	keyword string
	line    int    // line of the session's first row
	first   srcRow // the session's first row, whose raw fields conflict messages show
	clicks  []int32
	rowSeen map[uint64]bool
}

// sessionReader groups src_inter.csv rows into sessions, in order of each session's first row.
type sessionReader struct {
	b        *Builder
	report   *datasets.LoadReport
	t        *datasets.CSVTable
	c        srcColumns
	byKey    map[string]*session
	sessions []*session
}

func readSearch(path string, b *Builder, report *datasets.LoadReport) (err error) {
	start := time.Now()
	t, err := datasets.OpenCSV(path, report)
	if err != nil {
		return err
	}
	defer func() { err = closeTable(t, err) }()
	c, err := srcColumnsOf(t)
	if err != nil {
		return err
	}
	sr := &sessionReader{b: b, report: report, t: t, c: c, byKey: map[string]*session{}}
	var buf []string
	for t.Next() {
		logProgress(t, start)
		buf = t.TrimmedRecord(buf)
		if err := sr.add(buf); err != nil {
			return err
		}
	}
	if err := t.Err(); err != nil {
		return err
	}
	for _, s := range sr.sessions {
		b.AddSearch(s.user, s.time, s.query, s.clicks, 0)
	}
	return nil
}

// add adds one trimmed row to its session. It returns an error only when the policy is Fail.
func (sr *sessionReader) add(rec []string) error {
	r, fe := parseSrcRow(rec, sr.c)
	if fe != nil {
		return sr.t.Reject(fe.col, fe.problem, fe.want)
	}
	s := sr.byKey[r.session]
	if s == nil {
		words := tokenWords(r.keyword)
		s = &session{user: sr.b.User(r.user), time: r.time, query: sr.b.Queries.Add(words),
			keyword: strings.Join(words, " "), line: sr.t.Line(), first: r, rowSeen: map[uint64]bool{}}
		sr.byKey[r.session] = s
		sr.sessions = append(sr.sessions, s)
	} else if bad, err := sr.checkConsistent(s, r); bad {
		return err
	}

	h := RowHash(rec)
	if s.rowSeen[h] {
		sr.report.Duplicates[sr.t.Name()+": exact duplicate row"]++
		return nil
	}
	s.rowSeen[h] = true
	if !r.clicked {
		return nil
	}
	item := sr.b.Item(r.item)
	if slices.Contains(s.clicks, item) {
		sr.report.Duplicates[sr.t.Name()+": item clicked twice in one session (kept once)"]++
		return nil
	}
	s.clicks = append(s.clicks, item)
	return nil
}

// checkConsistent rejects a row whose user, timestamp or keyword differs from its session's
// first row. bad reports whether the row was rejected; err is the rejection under Fail. The
// message shows the first row's raw field and line; RowError shows this row's value.
func (sr *sessionReader) checkConsistent(s *session, r srcRow) (bad bool, err error) {
	const problem = "conflicts with the session's first row"
	want := func(first string) string {
		return fmt.Sprintf("want %q as on line %d, the session's first row, since all rows of a search session share its user, time and query", first, s.line)
	}
	switch {
	case r.user != s.first.user:
		return true, sr.t.Reject(sr.c.user, problem, want(s.first.user))
	case r.time != s.time:
		return true, sr.t.Reject(sr.c.time, problem, want(s.first.timeText))
	case strings.Join(tokenWords(r.keyword), " ") != s.keyword:
		return true, sr.t.Reject(sr.c.keyword, problem, want(s.first.keywordText))
	}
	return false, nil
}

// tokenWords returns token ids as words in canonical decimal form.
func tokenWords(tokens []int64) []string {
	words := make([]string, len(tokens))
	for i, tok := range tokens {
		words[i] = strconv.FormatInt(tok, 10)
	}
	return words
}
