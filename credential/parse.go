package credential

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/microcred/openbadges/internal/reuse"
	"github.com/microcred/openbadges/internal/strictjson"
)

// Sentinel errors of Parse, wrapped in *ParseError.
var (
	ErrMalformedJSON  = errors.New("credential: malformed JSON")
	ErrDuplicateKey   = errors.New("credential: duplicate key")
	ErrCaseVariantKey = errors.New("credential: key differs from a known term only by case")
	ErrInvalidUTF8    = errors.New("credential: invalid UTF-8")
	ErrTooLarge       = errors.New("credential: input too large")
	ErrTooDeep        = errors.New("credential: nesting too deep")
	ErrNotObject      = errors.New("credential: not a JSON object")
	ErrShape          = errors.New("credential: unexpected JSON form")
)

// ParseError reports why and where untrusted input was rejected.
type ParseError struct {
	Path   string // e.g. $.credentialSubject.achievement.Name
	Offset int64  // byte offset in the input, when known (-1 otherwise)
	Err    error  // wraps one of the sentinels
}

// Error returns the reason, the path and, when known, the offset.
func (e *ParseError) Error() string {
	s := e.Err.Error() + " at " + e.Path
	if e.Offset >= 0 {
		s += " (offset " + strconv.FormatInt(e.Offset, 10) + ")"
	}
	return s
}

// Unwrap returns the wrapped sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// ParseOptions bounds the work Parse does on untrusted input. The zero value
// is safe: 4 MiB, 64 levels of nesting and 10,000 members per object.
type ParseOptions struct {
	MaxBytes int // 0 means 4 MiB
	MaxDepth int // 0 means 64 nested objects and arrays
	MaxKeys  int // 0 means 10,000 members in one object
}

// Parse reads a credential from untrusted JSON with the default limits. See
// ParseWith.
func Parse(data []byte) (*Credential, error) { return ParseWith(data, ParseOptions{}) }

// ParseWith reads a credential from untrusted JSON. It rejects duplicate keys,
// keys that differ from a term of the model only by case (a case-insensitive
// reader such as encoding/json would take them for the term, so a signer and
// a verifier could read different badges), invalid UTF-8 and input beyond the
// limits of opts, with a *ParseError naming the JSON path.
//
// ParseWith does not judge the content: a member of an unexpected JSON form
// (a number where a string belongs, an array for issuer, null, ["x"] or
// {"@value": "x"} where the model has the string "x") is kept in Extra as
// written, so that the credential writes back the same JSON, and reported
// by Validate, as an error of the VC Data Model when JSON-LD reads the form
// like another.
func ParseWith(data []byte, opts ParseOptions) (*Credential, error) {
	return parseInto(data, opts, newDecodeState(), nil, true)
}

// parseInto is ParseWith with the decoder state d, the document's maps and
// slices taken from sc when it is not nil (see parseRecycled), and data
// copied unless the caller promises that it never changes.
func parseInto(data []byte, opts ParseOptions, d *decodeState, sc *strictjson.Scratch, copyInput bool) (*Credential, error) {
	raw, m, err := readDocument(data, opts, sc, copyInput)
	if err != nil {
		return nil, err
	}
	c := takeOne[Credential](d)
	c.raw, c.doc = raw, m
	if err := c.decodeObject(d, m); err != nil {
		return nil, modelError(firstCaseVariant(new(Credential), m, err))
	}
	return c, nil
}

// modelError is err, from the typed decoding of a document: no offset is
// known there.
func modelError(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) && pe.Offset == 0 {
		pe.Offset = -1
	}
	return err
}

// readDocument reads the JSON object of a credential strictly into m (in
// sc's memory when sc is not nil); raw is data, copied unless copyInput is
// false, and m's strings share its memory.
func readDocument(data []byte, opts ParseOptions, sc *strictjson.Scratch, copyInput bool) (raw []byte, m map[string]any, err error) {
	o := strictjson.Options{MaxBytes: opts.MaxBytes, MaxDepth: opts.MaxDepth, MaxKeys: opts.MaxKeys}
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = strictjson.DefaultMaxBytes
	}
	if len(data) > limit {
		_, err := strictjson.Decode(data, o) // refuses it before copying
		return nil, nil, parseErrorFrom(err)
	}
	// One copy of the input serves as Raw and as the memory of the
	// document's strings (and so of the typed fields'): Raw must not be
	// modified, which its documentation says.
	raw = data
	if copyInput {
		raw = bytes.Clone(data)
	}
	src := unsafe.String(unsafe.SliceData(raw), len(raw))
	var x any
	if sc != nil {
		x, err = sc.Decode(src, o)
	} else {
		x, err = strictjson.DecodeString(src, o)
	}
	if err != nil {
		return nil, nil, parseErrorFrom(err)
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, nil, &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(x))}
	}
	return raw, m, nil
}

// parseScratch is the memory parseRecycled lends a credential.
type parseScratch struct {
	json  strictjson.Scratch
	model modelArena
	dec   decodeState
}

var scratchPool = sync.Pool{New: func() any { return new(parseScratch) }}

// parseRecycled is Parse with the document in pooled memory, for callers
// that use the credential's Document only for the length of one call (the
// verifier and the issuer, through internal/reuse): done detaches the
// document from c (Document then decodes Raw again if it is ever asked
// for) and recycles its memory. Nothing taken from the document may be used
// after done; the typed fields and Raw stay valid, unless o.Transient, with
// which the typed model is lent too and nothing of c may be used after
// done. With o.Immutable, data is not copied: the caller promises it never
// changes.
func parseRecycled(data []byte, o reuse.Options) (c *Credential, done func(), err error) {
	s := scratchPool.Get().(*parseScratch) // its dec is zero (see release)
	s.dec.path = s.dec.pathBuf[:0]
	if o.Transient {
		s.dec.arena = &s.model
	}
	c, err = parseInto(data, ParseOptions{}, &s.dec, &s.json, !o.Immutable)
	if err != nil {
		s.release()
		return nil, nil, err
	}
	return c, func() {
		c.doc = nil
		if !o.Transient {
			c.lazy = new(lazyDocument)
		}
		s.release()
	}, nil
}

func (s *parseScratch) release() {
	s.json.Release()
	s.model.release()
	s.dec = decodeState{}
	scratchPool.Put(s)
}

func init() {
	reuse.ParseCredential = func(data []byte, o reuse.Options) (any, func(), error) {
		c, done, err := parseRecycled(data, o)
		if err != nil {
			return nil, nil, err
		}
		return c, done, nil
	}
}

func parseErrorFrom(err error) error {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err
	}
	sentinel := ErrMalformedJSON
	var inner error = strictjson.ErrSyntax
	for _, m := range []struct{ from, to error }{
		{strictjson.ErrDuplicateKey, ErrDuplicateKey},
		{strictjson.ErrInvalidUTF8, ErrInvalidUTF8},
		{strictjson.ErrTooLarge, ErrTooLarge},
		{strictjson.ErrTooDeep, ErrTooDeep},
	} {
		if errors.Is(err, m.from) {
			sentinel, inner = m.to, m.from
		}
	}
	detail := strings.TrimPrefix(se.Err.Error(), inner.Error())
	detail = strings.TrimPrefix(detail, ": ")
	if detail != "" {
		return &ParseError{Path: se.Path, Offset: se.Offset, Err: fmt.Errorf("%w: %s", sentinel, detail)}
	}
	return &ParseError{Path: se.Path, Offset: se.Offset, Err: sentinel}
}
