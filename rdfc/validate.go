package rdfc

import (
	"strconv"
	"unicode/utf8"
)

// Validate reports whether q is a well-formed RDF statement that has exactly
// one canonical N-Quads serialisation. It returns a *[QuadError] (wrapping
// [ErrInvalidQuad]) with Index -1 otherwise. The rules:
//
//   - the subject is an IRI or a blank node, the predicate an IRI, the object
//     an IRI, blank node or literal, the graph an IRI, blank node or
//     DefaultGraph;
//   - an IRI is absolute (has a scheme) and valid UTF-8 (characters that
//     N-Quads does not allow in IRIs, U+0000–U+0020 and <>"{}|^`\, are not
//     valid in IRIs either, but JSON-LD processors let them through, and the
//     reference implementation escapes them, so they are accepted and
//     escaped: see AppendNQuad);
//   - a literal's lexical form is valid UTF-8; its Datatype is a valid IRI;
//     Language is non-empty exactly when Datatype is rdf:langString, and is
//     then a syntactically valid language tag ([a-zA-Z]+ ("-" [a-zA-Z0-9]+)*);
//   - unused fields are empty (no Datatype on an IRI, no Value on
//     DefaultGraph, ...), so that equal statements are equal Go values.
//
// Blank node labels may be any string: canonicalization replaces them.
func (q Quad) Validate() error {
	return q.validate(-1)
}

func (q *Quad) validate(index int) error {
	return q.validateWith(nil, index)
}

// validator remembers IRIs it found valid, in a small direct-mapped cache: a
// dataset repeats the same predicates, subjects, types and datatypes over
// and over, and comparing strings is much cheaper than checking them.
type validator struct {
	valid      [64]string
	escapeIRIs bool // some IRI checked needs escaping (see AppendNQuad)
}

func (v *validator) checkIRI(s string) string {
	if v == nil || s == "" {
		r, _ := checkIRI(s)
		return r
	}
	slot := &v.valid[(len(s)*31+int(s[len(s)-1])*7+int(s[len(s)/2]))%len(v.valid)]
	if *slot == s {
		return ""
	}
	r, escape := checkIRI(s)
	if r != "" {
		return r
	}
	v.escapeIRIs = v.escapeIRIs || escape
	*slot = s
	return ""
}

// validateWith is validate with a cache of valid IRIs (v may be nil).
func (q *Quad) validateWith(v *validator, index int) error {
	if r := v.checkTerm(&q.Subject, true, false, false); r != "" {
		return &QuadError{Index: index, Position: "subject", Reason: r}
	}
	if r := v.checkTerm(&q.Predicate, false, false, false); r != "" {
		return &QuadError{Index: index, Position: "predicate", Reason: r}
	}
	if r := v.checkTerm(&q.Object, true, true, false); r != "" {
		return &QuadError{Index: index, Position: "object", Reason: r}
	}
	if r := v.checkTerm(&q.Graph, true, false, true); r != "" {
		return &QuadError{Index: index, Position: "graph", Reason: r}
	}
	return nil
}

// checkTerm returns why t is not acceptable in a position that allows the
// given kinds besides IRI, or "" when it is.
func (v *validator) checkTerm(t *Term, blank, literal, defaultGraph bool) string {
	switch t.Kind {
	case IRI:
		if t.Datatype != "" || t.Language != "" {
			return "IRI term with a datatype or language"
		}
		return v.checkIRI(t.Value)
	case BlankNode:
		if !blank {
			return "blank node not allowed here"
		}
		if t.Datatype != "" || t.Language != "" {
			return "blank node term with a datatype or language"
		}
		return ""
	case Literal:
		if !literal {
			return "literal not allowed here"
		}
		if !utf8.ValidString(t.Value) {
			return "literal is not valid UTF-8"
		}
		if t.Datatype == "" {
			return "literal without datatype (use XSDString for a plain literal)"
		}
		if t.Datatype != XSDString && t.Datatype != RDFLangString {
			if r := v.checkIRI(t.Datatype); r != "" {
				return "datatype: " + r
			}
		}
		if t.Datatype == RDFLangString {
			if t.Language == "" {
				return "rdf:langString literal without language"
			}
			if !validLangTag(t.Language) {
				return "invalid language tag " + quoteReason(t.Language)
			}
		} else if t.Language != "" {
			return "language tag on a literal whose datatype is not rdf:langString"
		}
		return ""
	case DefaultGraph:
		if !defaultGraph {
			return "default graph not allowed here"
		}
		if t.Value != "" || t.Datatype != "" || t.Language != "" {
			return "default graph term with a value"
		}
		return ""
	case 0:
		return "term kind not set"
	}
	return "unknown term kind"
}

// iriForbidden marks the ASCII bytes IRIREF does not allow unescaped.
var iriForbidden = func() (t [256]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	for _, c := range `<>"{}|^` + "`\\" {
		t[c] = true
	}
	return t
}()

// iriClass is iriForbidden (1) plus non-ASCII bytes (2), so that checkIRI
// needs one table lookup per byte.
var iriClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case iriForbidden[c]:
			t[c] = 1
		case c >= utf8.RuneSelf:
			t[c] = 2
		}
	}
	return t
}()

// checkIRI returns why s is not an absolute IRI in valid UTF-8, or "", and
// whether it contains characters that N-Quads requires to be escaped.
func checkIRI(s string) (reason string, escape bool) {
	if s == "" {
		return "empty IRI", false
	}
	var seen uint8
	for i := 0; i < len(s); i++ {
		seen |= iriClass[s[i]]
	}
	if seen&2 != 0 && !utf8.ValidString(s) {
		return "IRI is not valid UTF-8", false
	}
	if !hasScheme(s) {
		return "relative IRI " + quoteReason(s), false
	}
	return "", seen&1 != 0
}

// hasScheme reports whether s starts with an RFC 3987 scheme and a colon.
func hasScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return true
		case isAlpha(c), c >= '0' && c <= '9', c == '+', c == '-', c == '.':
		default:
			return false
		}
	}
	return false
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

// validLangTag reports whether s matches the N-Quads LANGTAG production
// without its "@".
func validLangTag(s string) bool {
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for i < len(s) && isAlnum(s[i]) {
			i++
		}
		if i == j {
			return false
		}
	}
	return true
}

// quoteReason quotes s for an error message, shortened so that hostile input
// cannot make error texts huge.
func quoteReason(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
