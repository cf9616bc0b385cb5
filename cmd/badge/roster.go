package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
)

// A roster is the list of learners badge issue --batch issues a
// credential to: JSON Lines (one object a line, merged over the template)
// or CSV (a header of JSON paths, one learner a row).

// rosterRow is one learner: the document to sign (the template with the
// row merged in) or why the row cannot be used, and the line it is on.
type rosterRow struct {
	line int
	doc  map[string]any
	err  error
	// idGiven: the row itself set the credential's id (else a batch
	// gives it a fresh one, whatever the template says).
	idGiven bool
	cred    *credential.Credential // doc parsed, for issuer.IssueBatch
}

// Limits of a roster: rows are bounded by maxInput like any input, paths
// so that a header cannot build absurd documents.
const (
	maxPathSegments = 32
	maxPathIndex    = 1023
)

// errRoster is the kind of every error of a roster's content.
var errRoster = errors.New("roster")

// readRosterJSONL reads a JSON Lines roster: each line that is not blank
// is a JSON object, merged over template (RFC 7396 JSON Merge Patch:
// objects merge member by member, null removes a member, anything else
// replaces). A line that is not an object is a row with an error.
func readRosterJSONL(r io.Reader, template map[string]any) ([]rosterRow, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxInput)
	var rows []rosterRow
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		row := rosterRow{line: line}
		v, err := strictjson.Decode(b, strictjson.Options{})
		patch, ok := v.(map[string]any)
		switch {
		case err != nil:
			row.err = fmt.Errorf("%w: %v", errRoster, err)
		case !ok:
			row.err = fmt.Errorf("%w: not a JSON object", errRoster)
		default:
			row.doc = mergePatch(deepCopy(template), patch).(map[string]any)
			_, row.idGiven = patch["id"]
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

// mergePatch applies patch to target as RFC 7396 says and returns the
// result (target is changed).
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return deepCopy(patch)
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// deepCopy copies a decoded JSON value, so that rows do not share the
// template's objects and arrays.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// rosterColumn is a CSV header cell: a JSON path, and whether the cells
// are JSON values (a path ending in ":json") rather than strings.
type rosterColumn struct {
	path []string
	json bool
}

// parseRosterPath parses a CSV header cell: JSON path segments separated
// by dots (credentialSubject.identifier.0.identityHash), a segment of
// digits being an array index; ":json" at the end makes the column's cells
// JSON values (true, 3, {"a": 1}) instead of strings.
func parseRosterPath(h string) (rosterColumn, error) {
	var c rosterColumn
	h = strings.TrimSpace(h)
	if p, ok := strings.CutSuffix(h, ":json"); ok {
		h, c.json = p, true
	}
	if h == "" {
		return c, fmt.Errorf("%w: an empty column name", errRoster)
	}
	c.path = strings.Split(h, ".")
	if len(c.path) > maxPathSegments {
		return c, fmt.Errorf("%w: column %q: more than %d segments", errRoster, h, maxPathSegments)
	}
	for i, s := range c.path {
		if s == "" {
			return c, fmt.Errorf("%w: column %q: an empty segment", errRoster, h)
		}
		if n, ok := pathIndex(s); ok {
			if i == 0 {
				return c, fmt.Errorf("%w: column %q: a credential is an object, not an array", errRoster, h)
			}
			if n > maxPathIndex {
				return c, fmt.Errorf("%w: column %q: index %d is more than %d", errRoster, h, n, maxPathIndex)
			}
		}
	}
	return c, nil
}

// pathIndex reports whether a path segment is an array index, and which.
func pathIndex(s string) (int, bool) {
	if s == "" || len(s) > 6 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// setPath sets the value at path in doc, making the objects and arrays on
// the way (an array for a segment followed by an index, padded with empty
// objects). It fails where the path goes through a value of another kind.
func setPath(doc map[string]any, path []string, v any) error {
	var cur any = doc
	for i, seg := range path {
		last := i == len(path)-1
		var next any
		nextIsIndex := false
		if !last {
			_, nextIsIndex = pathIndex(path[i+1])
		}
		fresh := func() any {
			if nextIsIndex {
				return []any{}
			}
			return map[string]any{}
		}
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[seg] = v
				return nil
			}
			next = c[seg]
			if next == nil {
				next = fresh()
			}
			// An array grows in place below; store it back after.
			next, err := descend(next, path[i+1], nextIsIndex)
			if err != nil {
				return fmt.Errorf("%s: %w", strings.Join(path[:i+1], "."), err)
			}
			c[seg] = next
			cur = next
		case []any:
			n, _ := pathIndex(seg)
			if last {
				c[n] = v
				return nil
			}
			next = c[n]
			if next == nil {
				next = fresh()
			}
			next, err := descend(next, path[i+1], nextIsIndex)
			if err != nil {
				return fmt.Errorf("%s: %w", strings.Join(path[:i+1], "."), err)
			}
			c[n] = next
			cur = next
		}
	}
	return nil
}

// descend checks that v can hold the path segment seg (an object for a
// name, an array for an index), growing an array to hold the index.
func descend(v any, seg string, isIndex bool) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if isIndex {
			return nil, errors.New("an object, not an array")
		}
		return x, nil
	case []any:
		if !isIndex {
			return nil, errors.New("an array, not an object")
		}
		n, _ := pathIndex(seg)
		for len(x) <= n {
			x = append(x, map[string]any{})
		}
		return x, nil
	}
	return nil, fmt.Errorf("a %s, which holds no members", jsonKind(v))
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	}
	return "value"
}

// readRosterCSV reads a CSV roster: the header row names a JSON path per
// column; each row after it sets those paths, in a copy of template, to
// its cells (strings; JSON values for ":json" columns). An empty cell
// leaves the template's value. A row whose cells cannot be set is a row
// with an error; a bad header fails the whole roster.
func readRosterCSV(r io.Reader, template map[string]any) ([]rosterRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row as long as the header
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: no header row", errRoster)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errRoster, err)
	}
	cols := make([]rosterColumn, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a spreadsheet's byte order mark
		}
		if cols[i], err = parseRosterPath(h); err != nil {
			return nil, fmt.Errorf("line 1: %w", err)
		}
		key := strings.Join(cols[i].path, ".")
		if seen[key] {
			return nil, fmt.Errorf("line 1: %w: column %q twice", errRoster, key)
		}
		seen[key] = true
	}
	var rows []rosterRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount) {
				rows = append(rows, rosterRow{line: pe.StartLine, err: fmt.Errorf("%w: %d cells, the header has %d", errRoster, len(rec), len(cols))})
				continue
			}
			return nil, fmt.Errorf("%w: %v", errRoster, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" && len(cols) > 1 {
			continue // a blank line
		}
		row := rosterRow{line: line, doc: deepCopy(template).(map[string]any)}
		for i, cell := range rec {
			if cell == "" {
				continue
			}
			var v any = cell
			if cols[i].json {
				if v, err = strictjson.Decode([]byte(cell), strictjson.Options{}); err != nil {
					row.err = fmt.Errorf("%w: column %s: %v", errRoster, header[i], err)
					break
				}
			}
			if len(cols[i].path) == 1 && cols[i].path[0] == "id" {
				row.idGiven = true
			}
			if err := setPath(row.doc, cols[i].path, v); err != nil {
				row.err = fmt.Errorf("%w: column %s: %v", errRoster, header[i], err)
				break
			}
		}
		if row.err != nil {
			row.doc = nil
		}
		rows = append(rows, row)
	}
}
