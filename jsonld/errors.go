package jsonld

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/rdfc"
)

// Sentinel errors. Every error the Processor returns wraps one of them (most
// inside a *TermError that says where), so callers branch with errors.Is.
//
// The safe-mode sentinels mirror the events jsonld.js treats as errors in
// safe mode: each is a case where plain JSON-LD processing would silently
// drop or misread part of the document, so that what is signed is not what
// the reader sees.
var (
	// ErrInvalidJSON: the input is not strict JSON (grammar, UTF-8, lone
	// surrogates, numbers out of range).
	ErrInvalidJSON = errors.New("jsonld: invalid JSON")
	// ErrDuplicateKey: an object has the same key twice.
	ErrDuplicateKey = errors.New("jsonld: duplicate key")
	// ErrLimitExceeded: a Config limit (size, depth, contexts, values) was hit.
	ErrLimitExceeded = errors.New("jsonld: limit exceeded")

	// ErrUndefinedTerm: a property does not expand to an absolute IRI or a
	// keyword (jsonld.js "invalid property"): it would be dropped.
	ErrUndefinedTerm = errors.New("jsonld: undefined term")
	// ErrRelativeType: an @type value stays a relative IRI.
	ErrRelativeType = errors.New("jsonld: relative @type")
	// ErrRelativeID: an @id (or a value coerced to @id) is not an absolute
	// IRI or blank node identifier; IRIs with white space fall here too.
	ErrRelativeID = errors.New("jsonld: relative @id")
	// ErrRelativeVocab: @vocab is not an absolute IRI.
	ErrRelativeVocab = errors.New("jsonld: relative @vocab")
	// ErrInvalidLanguage: a language tag is not well-formed BCP 47.
	ErrInvalidLanguage = errors.New("jsonld: invalid language tag")
	// ErrDroppedValue: a value would be dropped: a free-floating scalar,
	// value or list, an empty object or an object with only @id where a node
	// is needed (top level, @graph), a null @value, an object with only
	// @language.
	ErrDroppedValue = errors.New("jsonld: value would be dropped")
	// ErrReservedTerm: a term, @id or @reverse of the form "@word" that is
	// not a keyword (reserved for future use and dropped).
	ErrReservedTerm = errors.New("jsonld: reserved term")
	// ErrInvalidIRI: an IRI contains characters that N-Quads cannot carry
	// (controls, space, <>"{}|^`\), so it could not be canonicalized.
	ErrInvalidIRI = errors.New("jsonld: invalid IRI")
	// ErrBlankNodePredicate: a property expands to a blank node identifier,
	// which RDF does not allow as a predicate.
	ErrBlankNodePredicate = errors.New("jsonld: blank node predicate")

	// ErrProtectedTermRedefinition: a context redefines a protected term.
	ErrProtectedTermRedefinition = errors.New("jsonld: protected term redefinition")
	// ErrInvalidContext: a context is malformed (JSON-LD context processing
	// errors: invalid term definition, IRI mapping, container, cycles, ...).
	ErrInvalidContext = errors.New("jsonld: invalid context")
	// ErrLoadingContext: the loader could not provide a context (the loader's
	// own error, such as ErrContextNotAllowed, is wrapped too).
	ErrLoadingContext = errors.New("jsonld: loading context failed")
	// ErrInvalidSyntax: the document breaks a JSON-LD expansion rule
	// (invalid @id value, colliding keywords, invalid value object, ...).
	ErrInvalidSyntax = errors.New("jsonld: invalid JSON-LD")

	// ErrCanonicalizationLimit is rdfc.ErrCanonicalizationLimit: RDFC-1.0
	// gave up on a graph that needs too much work (a poison graph).
	ErrCanonicalizationLimit = rdfc.ErrCanonicalizationLimit
)

// IsValueError reports whether err says that a value of the document is one
// safe mode refuses — a term, IRI, type, language tag or number that would
// be dropped or changed (ErrUndefinedTerm, ErrRelativeType, ErrRelativeID,
// ErrRelativeVocab, ErrInvalidLanguage, ErrDroppedValue, ErrReservedTerm,
// ErrInvalidIRI, ErrBlankNodePredicate, ErrLossyNumber) — rather than that
// the document could not be read as JSON-LD at all (syntax, contexts,
// limits). Verifiers report the first kind as a malformed value and the
// second as a parsing error; this is the one place that tells them apart.
func IsValueError(err error) bool {
	for _, target := range valueErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

var valueErrors = []error{
	ErrUndefinedTerm, ErrRelativeType, ErrRelativeID, ErrRelativeVocab, ErrInvalidLanguage,
	ErrDroppedValue, ErrReservedTerm, ErrInvalidIRI, ErrBlankNodePredicate, ErrLossyNumber,
}

// TermError says where in the document a problem is: the JSON path (like
// $.credentialSubject.achievement["@type"][0]) and the term or value at
// fault. Err is one of the sentinels.
type TermError struct {
	Path   string // JSONPath of the member or value at fault
	Term   string // the term, IRI or value at fault (may be empty)
	Detail string // extra explanation (may be empty)
	Err    error
}

// Error names the term, its JSON path and the reason.
func (e *TermError) Error() string {
	var b strings.Builder
	msg := e.Err.Error()
	b.WriteString(msg)
	if e.Term != "" && !strings.Contains(msg, e.Term) {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Term))
	}
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel (ErrUndefinedTerm, …).
func (e *TermError) Unwrap() error { return e.Err }

// SyntaxError is a strict JSON decoding error at a byte offset.
type SyntaxError struct {
	Offset int64
	Msg    string
	Err    error // ErrInvalidJSON, ErrDuplicateKey or ErrLimitExceeded
}

// Error names the byte offset and the reason.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at byte %d: %s", e.Err, e.Offset, e.Msg)
}

// Unwrap returns the sentinel (ErrInvalidJSON, …).
func (e *SyntaxError) Unwrap() error { return e.Err }

// ctxError is a context processing error; the expander adds the path.
type ctxError struct {
	term   string
	detail string
	err    error
}

func (e *ctxError) Error() string {
	s := e.err.Error()
	if e.term != "" {
		s += " " + strconv.Quote(e.term)
	}
	if e.detail != "" {
		s += ": " + e.detail
	}
	return s
}

func (e *ctxError) Unwrap() error { return e.err }

func cerr(err error, term, format string, args ...any) error {
	d := format
	if len(args) > 0 {
		d = fmt.Sprintf(format, args...)
	}
	return &ctxError{term: term, detail: d, err: err}
}

// pathSeg is one step of a JSON path.
type pathSeg struct {
	key string
	idx int // -1 for a key
}

func formatPath(segs []pathSeg) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if s.idx >= 0 {
			b.WriteString("[")
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteString("]")
			continue
		}
		if isSimpleKey(s.key) {
			b.WriteString(".")
			b.WriteString(s.key)
		} else {
			b.WriteString("[")
			b.WriteString(strconv.Quote(s.key))
			b.WriteString("]")
		}
	}
	return b.String()
}

func isSimpleKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
