package credential

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

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
	if err := checkSize(len(data), opts); err != nil {
		return nil, err
	}
	// The document is only a step towards the typed model, so it is
	// decoded into recycled memory.
	s := scratchPool.Get().(*parseScratch)
	defer s.release()
	c, _, err := s.parse(string(data), opts)
	return c, err
}

// ScopeOptions says how the result of ParseScoped is used.
type ScopeOptions struct {
	// Transient: the credential itself is used only until release, so its
	// typed model is lent from recycled memory too (and zeroed by release).
	Transient bool
}

// ParseScoped parses src as Parse does, for a caller that reads the
// credential's document only for the length of one call (the verifier and
// the issuer, to which a document of Go maps would otherwise cost about
// half of what they allocate): doc is the document, in recycled memory
// which release gives back. release must be called exactly once; nothing
// taken from doc may be used after it, while c stays valid, unless
// o.Transient, with which nothing of c may be used after release either.
// Strings are immutable, so c shares src without copying it.
func ParseScoped(src string, o ScopeOptions) (c *Credential, doc map[string]any, release func(), err error) {
	if err := checkSize(len(src), ParseOptions{}); err != nil {
		return nil, nil, nil, err
	}
	s := scratchPool.Get().(*parseScratch)
	if o.Transient {
		s.dec.arena = &s.model
	}
	c, doc, err = s.parse(src, ParseOptions{})
	if err != nil {
		s.release()
		return nil, nil, nil, err
	}
	return c, doc, s.release, nil
}

// checkSize refuses n bytes of input beyond opts.MaxBytes, before they are
// copied.
func checkSize(n int, opts ParseOptions) error {
	if err := strictjson.CheckSize(n, strictjson.Options{MaxBytes: opts.MaxBytes}); err != nil {
		return parseErrorFrom(err)
	}
	return nil
}

// parseScratch is the memory a parse borrows: the document's maps and
// slices, the decoder's state and, for ParseScoped's Transient, the typed
// model.
type parseScratch struct {
	json  strictjson.Scratch
	model modelArena
	dec   decodeState
}

var scratchPool = sync.Pool{New: func() any { return new(parseScratch) }}

// parse reads the JSON object of a credential strictly into s's memory and
// decodes the typed model from it; the model's strings share src.
func (s *parseScratch) parse(src string, opts ParseOptions) (*Credential, map[string]any, error) {
	x, err := s.json.Decode(src, strictjson.Options{MaxBytes: opts.MaxBytes, MaxDepth: opts.MaxDepth, MaxKeys: opts.MaxKeys})
	if err != nil {
		return nil, nil, parseErrorFrom(err)
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, nil, &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(x))}
	}
	d := &s.dec
	d.path = d.pathBuf[:0]
	c := takeOne[Credential](d)
	c.src = src
	if err := c.decodeObject(d, m); err != nil {
		return nil, nil, modelError(firstCaseVariant(new(Credential), m, err))
	}
	return c, m, nil
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

func (s *parseScratch) release() {
	s.json.Release()
	s.model.release()
	s.dec = decodeState{}
	scratchPool.Put(s)
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
