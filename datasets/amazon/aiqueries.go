package amazon

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/srbench/srbench/datasets"
)

// The published query files of Ai et al. (SIGIR 2017): query_text.txt.gz holds one query per
// line, whose 0-based line number is the query id, and each *.qrels.gz line reads
// "<reviewerID>_<queryId> 0 <asin> 1" in TREC qrels layout.

// pair identifies one purchase: a user and an item, by source keys.
type pair struct {
	user, asin string
}

// readQueryText returns the words of every query in query_text, split on white space.
func readQueryText(path string, report *datasets.LoadReport) ([][]string, error) {
	name := filepath.Base(path)
	var queries [][]string
	err := readAllLines(path, func(line int, text string) error {
		report.RowsRead[name]++
		words := strings.Fields(text)
		if len(words) == 0 {
			// Keep the line so that later ids stay aligned; qrels that name it are rejected.
			report.Ignored[name+": blank query line"]++
		}
		queries = append(queries, words)
		return nil
	})
	return queries, err
}

// qrel is one parsed qrels line.
type qrel struct {
	user, asin string
	query      int
	relevant   bool
}

// parseQrel parses "<reviewerID>_<queryId> 0 <asin> <relevance>". The reviewer id is everything
// before the last underscore of the first field.
func parseQrel(text string) (qrel, *lineError) {
	f := strings.Fields(text)
	if len(f) != 4 {
		return qrel{}, &lineError{problem: "wrong number of fields", want: "want 4 fields: <reviewerID>_<queryId> 0 <asin> <relevance>, got " + strconv.Itoa(len(f))}
	}
	cut := strings.LastIndexByte(f[0], '_')
	if cut <= 0 {
		return qrel{}, &lineError{field: "topic", value: f[0], problem: "invalid value", want: "want <reviewerID>_<queryId>"}
	}
	q, err := strconv.Atoi(f[0][cut+1:])
	if err != nil || q < 0 {
		return qrel{}, &lineError{field: "topic", value: f[0], problem: "invalid value", want: "want a non-negative integer query id after the last underscore"}
	}
	rel, err := strconv.Atoi(f[3])
	if err != nil {
		return qrel{}, &lineError{field: "relevance", value: f[3], problem: "invalid value", want: "want an integer relevance"}
	}
	return qrel{user: f[0][:cut], asin: f[2], query: q, relevant: rel > 0}, nil
}

// readQrels returns the query ids per purchase from the qrels files, each list sorted and
// without repeats. A qrel is a bad row when it names a query id beyond query_text or a blank
// query. A qrel with relevance 0 is counted as ignored.
func readQrels(paths []string, queries [][]string, report *datasets.LoadReport) (map[pair][]int, error) {
	byPair := map[pair][]int{}
	for _, path := range paths {
		name := filepath.Base(path)
		err := readAllLines(path, func(line int, text string) error {
			if strings.TrimSpace(text) == "" {
				report.Ignored[name+": blank line"]++
				return nil
			}
			report.RowsRead[name]++
			q, le := parseQrel(text)
			if le == nil && (q.query >= len(queries) || len(queries[q.query]) == 0) {
				le = &lineError{field: "topic", value: strings.Fields(text)[0], problem: "unknown query id",
					want: "want the 0-based line number of a non-blank line of query_text.txt.gz (it has " + strconv.Itoa(len(queries)) + " lines)"}
			}
			if le != nil {
				return report.Reject(le.rowError(name, line))
			}
			if !q.relevant {
				report.Ignored[name+": relevance 0"]++
				return nil
			}
			key := pair{q.user, q.asin}
			byPair[key] = append(byPair[key], q.query)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for k, ids := range byPair {
		slices.Sort(ids)
		byPair[k] = slices.Compact(ids)
	}
	return byPair, nil
}

// readAllLines calls fn with every line of path (gzip when it ends in ".gz"), blank lines
// included, and its 1-based number.
func readAllLines(path string, fn func(line int, text string) error) error {
	return scanLines(path, func(line int, text []byte) error { return fn(line, string(text)) })
}
