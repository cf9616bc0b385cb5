package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting in documents and JWKs: DID documents are
// shallow, and deep nesting only costs stack and time.
const maxJSONDepth = 32

type jsonFrame struct {
	keys      map[string]struct{} // nil for arrays
	expectKey bool
}

// checkStrictJSON rejects input that encoding/json would accept but read
// ambiguously: invalid UTF-8 (silently replaced by U+FFFD), duplicate member
// names at any level (last one wins in Go, first one elsewhere), nesting
// deeper than maxJSONDepth, and trailing data after the value. Member names
// are compared exactly; this package reads members from maps by exact name,
// so case variants ("ID" beside "id") are ignored, never confused.
func checkStrictJSON(data []byte) error {
	if !utf8.Valid(data) {
		return errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*jsonFrame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return errors.New("empty input")
		}
		if err != nil {
			return err
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].expectKey {
			top := stack[n-1]
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:n-1]
				valueDone()
			} else {
				k, ok := tok.(string)
				if !ok {
					return errors.New("malformed object")
				}
				if _, dup := top.keys[k]; dup {
					return fmt.Errorf("duplicate member %q", truncate(k, 40))
				}
				top.keys[k] = struct{}{}
				top.expectKey = false
				continue
			}
		} else if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
			if len(stack) >= maxJSONDepth {
				return fmt.Errorf("nesting deeper than %d", maxJSONDepth)
			}
			f := &jsonFrame{}
			if d == '{' {
				f.keys = map[string]struct{}{}
				f.expectKey = true
			}
			stack = append(stack, f)
			continue
		} else if ok && d == ']' {
			stack = stack[:len(stack)-1]
			valueDone()
		} else {
			valueDone()
		}
		if len(stack) == 0 {
			// One complete top-level value: anything after it is an error.
			if _, err := dec.Token(); err != io.EOF {
				return errors.New("trailing data after JSON value")
			}
			return nil
		}
	}
}

// decodeObject checks data strictly and decodes it as a JSON object whose
// members are kept raw, so that callers read members by exact name.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	if err := checkStrictJSON(data); err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// getString reads an optional string member. A member that is present but
// not a string is an error (never silently treated as absent).
func getString(m map[string]json.RawMessage, name string) (string, bool, error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || (len(raw) > 0 && raw[0] != '"') {
		return "", true, fmt.Errorf("member %q is not a string", name)
	}
	return s, true, nil
}
