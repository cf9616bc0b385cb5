package rdfc

import "strconv"

// AppendNQuad appends the canonical N-Quads serialisation of q, including
// the terminating " .\n", to dst and returns the extended buffer.
//
// The form is the one RDFC-1.0 requires for its output (the canonical form of
// N-Quads, as in RDF 1.2): terms separated by single spaces, then " .",
// blank nodes as "_:label", literals without "^^xsd:string",
// language-tagged strings with "@lang", and inside literal strings only these
// escapes: \" \\ \b \t \n \f \r and \uXXXX (upper-case hexadecimal) for the
// other characters U+0000–U+001F and U+007F. IRIs are written between angle
// brackets as they are, except for the characters an N-Quads IRI cannot
// contain (U+0000–U+0020 and <>"{}|^`\), which are written as \u00XX, as the
// reference implementation (rdf-canonize) does; valid IRIs never contain
// them. Every other character, including non-ASCII, is written as UTF-8.
//
// AppendNQuad does not validate q; see [Quad.Validate]. A quad that fails
// validation may not serialise to valid N-Quads.
func AppendNQuad(dst []byte, q Quad) []byte {
	return appendQuad(dst, &q, nil, nil, nil, true)
}

// appendQuad serialises q. A non-nil label for a position replaces the
// blank node label written there (used for "_:a"/"_:z" in first-degree
// hashing and for canonical labels); it is only consulted when the term at
// that position is a blank node. esc says whether IRIs may need escaping;
// false is a fast path for datasets known not to.
func appendQuad(dst []byte, q *Quad, s, o, g []byte, esc bool) []byte {
	dst = appendTerm(dst, &q.Subject, s, esc)
	dst = append(dst, ' ')
	dst = appendIRI(dst, q.Predicate.Value, esc)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Object, o, esc)
	if q.Graph.Kind != DefaultGraph {
		dst = append(dst, ' ')
		dst = appendTerm(dst, &q.Graph, g, esc)
	}
	return append(dst, " .\n"...)
}

// appendIRI appends "<" iri ">", escaping as AppendNQuad describes when esc
// is set.
func appendIRI(dst []byte, iri string, esc bool) []byte {
	dst = append(dst, '<')
	if esc {
		start := 0
		for i := 0; i < len(iri); i++ {
			if c := iri[i]; iriForbidden[c] {
				dst = append(dst, iri[start:i]...)
				dst = append(dst, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xf])
				start = i + 1
			}
		}
		iri = iri[start:]
	}
	dst = append(dst, iri...)
	return append(dst, '>')
}

func appendTerm(dst []byte, t *Term, label []byte, esc bool) []byte {
	switch t.Kind {
	case IRI:
		return appendIRI(dst, t.Value, esc)
	case BlankNode:
		dst = append(dst, '_', ':')
		if label != nil {
			return append(dst, label...)
		}
		return append(dst, t.Value...)
	case Literal:
		dst = appendLiteralString(dst, t.Value)
		if t.Language != "" {
			dst = append(dst, '@')
			return append(dst, t.Language...)
		}
		if t.Datatype != XSDString && t.Datatype != "" {
			dst = append(dst, '^', '^')
			dst = appendIRI(dst, t.Datatype, esc)
		}
		return dst
	}
	return dst
}

// needsEscape marks the bytes that appendLiteralString must escape.
var needsEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t[0x7f] = true, true, true
	return t
}()

const upperHex = "0123456789ABCDEF"

// appendLiteralString appends s quoted and escaped as canonical N-Quads
// requires. Non-ASCII bytes pass through unchanged: s is valid UTF-8 once
// validated, and canonical N-Quads never uses \u for non-control characters.
func appendLiteralString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xf])
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendLabel appends prefix followed by the decimal n.
func appendLabel(dst []byte, prefix string, n int) []byte {
	dst = append(dst, prefix...)
	return strconv.AppendInt(dst, int64(n), 10)
}

// String returns the N-Quads form of t ("<iri>", "_:label", "\"lexical\"@lang",
// …; empty for the default graph), for messages and debugging.
func (t Term) String() string {
	return string(appendTerm(nil, &t, nil, true))
}

// String returns the N-Quads line of q without its final newline, for
// messages and debugging.
func (q Quad) String() string {
	b := appendQuad(nil, &q, nil, nil, nil, true)
	return string(b[:len(b)-1])
}
