package credential

import (
	"errors"
	"fmt"
	"reflect"
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
	if err := strictjson.CheckSize(len(data), strictjson.Options{MaxBytes: opts.MaxBytes}); err != nil {
		return nil, parseErrorFrom(err)
	}
	doc, err := strictjson.Parse(string(data), strictjson.Options{MaxBytes: opts.MaxBytes, MaxDepth: opts.MaxDepth, MaxKeys: opts.MaxKeys})
	if err != nil {
		return nil, parseErrorFrom(err)
	}
	d := decodeStates.Get().(*decodeState)
	defer putDecodeState(&decodeStates, d)
	return fromDocument(d, doc)
}

// ReadDocument is Parse of src for the library's packages that read the
// parsed document too (the verifier), so that the bytes are parsed once:
// it calls read with the credential and the document. The document is
// read only during read: once read returns, its memory goes to the next
// parse, and a Value kept past it reads as empty. The credential holds
// none of it; its strings and Raw share src. The error is Parse's; read is
// not called when there is one.
func ReadDocument(src string, read func(*Credential, strictjson.Value)) error {
	return readDocument(src, &decodeStates, read)
}

// ReadScoped is ReadDocument for a caller that keeps neither the document
// nor the credential once read returns, such as an issuer, which validates
// the credential and signs the document: the credential's objects, like
// the document's nodes, go to the next ReadScoped. Its strings share src,
// as ReadDocument's do.
func ReadScoped(src string, read func(*Credential, strictjson.Value)) error {
	return readDocument(src, &scopedStates, read)
}

// decodeStates holds the decoding states of ReadDocument and Parse, and
// scopedStates those of ReadScoped, with their arenas.
var (
	decodeStates = sync.Pool{New: func() any { return newDecodeState() }}
	scopedStates = sync.Pool{New: func() any {
		d := newDecodeState()
		d.arena = &arena{slabs: map[reflect.Type]recycler{}}
		return d
	}}
)

// readDocument is ReadDocument with a decoding state from states.
func readDocument(src string, states *sync.Pool, read func(*Credential, strictjson.Value)) error {
	doc, err := strictjson.Parse(src, strictjson.Options{})
	if err != nil {
		return parseErrorFrom(err)
	}
	defer doc.Release()
	d := states.Get().(*decodeState)
	defer putDecodeState(states, d)
	c, err := fromDocument(d, doc)
	if err != nil {
		return err
	}
	read(c, doc)
	return nil
}

// fromDocument reads a credential from doc, a document of JSON text
// (doc.Source()), with the decoding state d.
func fromDocument(d *decodeState, doc strictjson.Value) (*Credential, error) {
	if doc.Kind() != strictjson.Object {
		return nil, &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(doc))}
	}
	c := allocOne[Credential](d)
	c.src = doc.Source()
	if err := c.decodeObject(d, doc); err != nil {
		return nil, modelError(firstCaseVariant(new(Credential), doc, err))
	}
	return c, nil
}

// putDecodeState gives d back to states, keeping nothing of the credential
// it decoded (the rest of its string slab, or a member name on its path,
// would keep the source alive; an arena's objects are zeroed).
func putDecodeState(states *sync.Pool, d *decodeState) {
	clear(d.path[:cap(d.path)])
	clear(d.pathBuf[:])
	if cap(d.path) > 4*len(d.pathBuf) {
		d.path = d.pathBuf[:0]
	}
	d.path, d.slab, d.sorted = d.path[:0], nil, false
	if d.arena != nil {
		d.arena.recycle()
	}
	states.Put(d)
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
