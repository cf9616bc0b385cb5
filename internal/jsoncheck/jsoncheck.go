// Package jsoncheck checks that a small JSON document is one a strict
// reader accepts: valid UTF-8, no duplicate member names, bounded nesting.
// It lets packages that decode with encoding/json (which keeps the last of
// duplicate members and replaces invalid UTF-8) refuse what would make two
// readers see different documents, without a decoder of their own.
package jsoncheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Sentinel errors, wrapped in *Error.
var (
	ErrSyntax       = errors.New("jsoncheck: malformed JSON")
	ErrInvalidUTF8  = errors.New("jsoncheck: invalid UTF-8")
	ErrDuplicateKey = errors.New("jsoncheck: duplicate key")
	ErrTooDeep      = errors.New("jsoncheck: nesting too deep")
)

// Error reports where the document was refused.
type Error struct {
	Path string // e.g. $.requires.achievements[2]
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() + " at " + e.Path }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// DefaultMaxDepth is the nesting Check allows when given 0.
const DefaultMaxDepth = 64

// Check returns nil when data is one JSON value, valid UTF-8, with no
// object having two members of the same name and no deeper nesting than
// maxDepth (0 means DefaultMaxDepth); otherwise an *Error.
func Check(data []byte, maxDepth int) error {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if !utf8.Valid(data) {
		return &Error{Path: "$", Err: ErrInvalidUTF8}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := value(dec, "$", 0, maxDepth); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Path: "$", Err: fmt.Errorf("%w: data after the value", ErrSyntax)}
	}
	return nil
}

func value(dec *json.Decoder, path string, depth, max int) error {
	tok, err := dec.Token()
	if err != nil {
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= max {
		return &Error{Path: path, Err: ErrTooDeep}
	}
	switch d {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
			}
			k, _ := kt.(string)
			at := path + "." + k
			if seen[k] {
				return &Error{Path: at, Err: ErrDuplicateKey}
			}
			seen[k] = true
			if err := value(dec, at, depth+1, max); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := value(dec, path+"["+strconv.Itoa(i)+"]", depth+1, max); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	return nil
}
