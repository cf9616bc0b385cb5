package rdfc

import (
	"unicode/utf8"
)

// ParseNQuads parses an N-Quads 1.1 document (https://www.w3.org/TR/n-quads/)
// strictly: every IRI must be absolute, escapes are decoded (\uXXXX,
// \UXXXXXXXX, and \t \b \n \r \f \" \' \\ in strings), the input must be
// valid UTF-8, and no escape may produce a surrogate. Comments and blank lines are allowed. Plain literals
// get Datatype XSDString; language-tagged ones RDFLangString.
//
// The first error found is returned as a *[SyntaxError] (which wraps
// [ErrSyntax]) giving its line and column. Time and memory are linear in
// len(data); the quads share one copy of data.
func ParseNQuads(data []byte) ([]Quad, error) {
	p := parser{src: string(data), line: 1}
	if !utf8.ValidString(p.src) {
		// Find where, for the error message.
		i := 0
		for i < len(p.src) {
			r, size := utf8.DecodeRuneInString(p.src[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			if p.src[i] == '\n' {
				p.line, p.lineStart = p.line+1, i+1
			}
			i += size
		}
		return nil, p.errorAt(i, "invalid UTF-8")
	}
	// A statement is at least 8 bytes ("<a:> <b:> <c:> ." is 16), so this
	// rarely grows and never over-allocates by much.
	p.quads = make([]Quad, 0, len(data)/64+1)
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.quads, nil
}

type parser struct {
	src       string
	pos       int
	line      int
	lineStart int
	quads     []Quad
	scratch   []byte
}

func (p *parser) errorAt(pos int, reason string) error {
	if pos > len(p.src) {
		pos = len(p.src)
	}
	return &SyntaxError{
		Line:   p.line,
		Column: utf8.RuneCountInString(p.src[p.lineStart:pos]) + 1,
		Reason: reason,
	}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// skipComment skips from "#" to the end of the line, not including it.
func (p *parser) skipComment() {
	for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
		p.pos++
	}
}

func (p *parser) newline() {
	if p.src[p.pos] == '\r' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n' {
		p.pos++
	}
	p.pos++
	p.line++
	p.lineStart = p.pos
}

func (p *parser) document() error {
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil
		}
		switch p.src[p.pos] {
		case '\n', '\r':
			p.newline()
			continue
		case '#':
			p.skipComment()
			continue
		}
		if err := p.statement(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '#' {
			p.skipComment()
		}
		if p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
			return p.errorAt(p.pos, "expected end of line after \".\"")
		}
	}
}

func (p *parser) statement() error {
	var q Quad
	var err error
	switch p.peek() {
	case '<':
		q.Subject, err = p.iri()
	case '_':
		q.Subject, err = p.blankNode()
	default:
		return p.errorAt(p.pos, "expected IRI or blank node as subject")
	}
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.peek() != '<' {
		return p.errorAt(p.pos, "expected IRI as predicate")
	}
	if q.Predicate, err = p.iri(); err != nil {
		return err
	}
	p.skipSpace()
	switch p.peek() {
	case '<':
		q.Object, err = p.iri()
	case '_':
		q.Object, err = p.blankNode()
	case '"':
		q.Object, err = p.literal()
	default:
		return p.errorAt(p.pos, "expected IRI, blank node or literal as object")
	}
	if err != nil {
		return err
	}
	p.skipSpace()
	switch p.peek() {
	case '<':
		q.Graph, err = p.iri()
	case '_':
		q.Graph, err = p.blankNode()
	default:
		q.Graph.Kind = DefaultGraph
	}
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.peek() != '.' {
		return p.errorAt(p.pos, "expected \".\" at end of statement")
	}
	p.pos++
	p.quads = append(p.quads, q)
	return nil
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// iri parses an IRIREF at p.pos (which is '<').
func (p *parser) iri() (Term, error) {
	v, err := p.iriValue()
	return Term{Kind: IRI, Value: v}, err
}

func (p *parser) iriValue() (string, error) {
	open := p.pos
	i := open + 1
	escaped := false
	for ; i < len(p.src) && p.src[i] != '>'; i++ {
		c := p.src[i]
		switch {
		case c == '\\':
			escaped = true
			if _, n, reason := p.uchar(i); reason != "" {
				return "", p.errorAt(i, reason)
			} else {
				i += n - 1
			}
		case c == '\n' || c == '\r':
			return "", p.errorAt(open, "unterminated IRI")
		case iriForbidden[c]:
			return "", p.errorAt(i, "character "+quoteReason(p.src[i:i+1])+" not allowed in IRI")
		}
	}
	if i >= len(p.src) {
		return "", p.errorAt(open, "unterminated IRI")
	}
	v := p.src[open+1 : i]
	p.pos = i + 1
	if escaped {
		buf := p.scratch[:0]
		for j := 0; j < len(v); j++ {
			if v[j] != '\\' {
				buf = append(buf, v[j])
				continue
			}
			r, n, _ := p.uchar(open + 1 + j)
			buf = utf8.AppendRune(buf, r)
			j += n - 1
		}
		p.scratch = buf
		v = string(buf)
	}
	if !hasScheme(v) {
		return "", p.errorAt(open, "relative IRI "+quoteReason(v)+" (N-Quads requires absolute IRIs)")
	}
	return v, nil
}

// uchar decodes the UCHAR at src[i] ('\\'), returning the rune and the
// length of the escape, or a reason it is invalid.
func (p *parser) uchar(i int) (rune, int, string) {
	if i+1 >= len(p.src) {
		return 0, 0, "incomplete escape"
	}
	var n int
	switch p.src[i+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, 0, "invalid escape " + quoteReason(p.src[i:i+2])
	}
	if i+2+n > len(p.src) {
		return 0, 0, "incomplete escape"
	}
	var r rune
	for _, c := range []byte(p.src[i+2 : i+2+n]) {
		d := hexValue(c)
		if d < 0 {
			return 0, 0, "invalid escape " + quoteReason(p.src[i:i+2+n])
		}
		r = r<<4 | rune(d)
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, 0, "escape " + quoteReason(p.src[i:i+2+n]) + " is not a Unicode scalar value"
	}
	return r, 2 + n, ""
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// literal parses a literal at p.pos (which is '"').
func (p *parser) literal() (Term, error) {
	open := p.pos
	i := open + 1
	escaped := false
	for ; i < len(p.src) && p.src[i] != '"'; i++ {
		switch p.src[i] {
		case '\\':
			escaped = true
			if i+1 < len(p.src) && echar(p.src[i+1]) != 0 {
				i++
			} else if _, n, reason := p.uchar(i); reason != "" {
				return Term{}, p.errorAt(i, reason)
			} else {
				i += n - 1
			}
		case '\n', '\r':
			return Term{}, p.errorAt(open, "unterminated string")
		}
	}
	if i >= len(p.src) {
		return Term{}, p.errorAt(open, "unterminated string")
	}
	v := p.src[open+1 : i]
	p.pos = i + 1
	if escaped {
		buf := p.scratch[:0]
		for j := 0; j < len(v); j++ {
			if v[j] != '\\' {
				buf = append(buf, v[j])
				continue
			}
			if e := echar(v[j+1]); e != 0 {
				buf = append(buf, e)
				j++
				continue
			}
			r, n, _ := p.uchar(open + 1 + j)
			buf = utf8.AppendRune(buf, r)
			j += n - 1
		}
		p.scratch = buf
		v = string(buf)
	}
	t := Term{Kind: Literal, Value: v, Datatype: XSDString}
	switch p.peek() {
	case '^':
		if p.pos+1 >= len(p.src) || p.src[p.pos+1] != '^' {
			return Term{}, p.errorAt(p.pos, "expected \"^^\"")
		}
		p.pos += 2
		if p.peek() != '<' {
			return Term{}, p.errorAt(p.pos, "expected datatype IRI after \"^^\"")
		}
		at := p.pos
		dt, err := p.iriValue()
		if err != nil {
			return Term{}, err
		}
		if dt == RDFLangString {
			return Term{}, p.errorAt(at, "rdf:langString literal without language tag")
		}
		t.Datatype = dt
	case '@':
		start := p.pos + 1
		i := start
		for i < len(p.src) && isAlpha(p.src[i]) {
			i++
		}
		if i == start {
			return Term{}, p.errorAt(p.pos, "empty language tag")
		}
		for i < len(p.src) && p.src[i] == '-' {
			j := i + 1
			for j < len(p.src) && isAlnum(p.src[j]) {
				j++
			}
			if j == i+1 {
				return Term{}, p.errorAt(i, "invalid language tag")
			}
			i = j
		}
		t.Datatype, t.Language = RDFLangString, p.src[start:i]
		p.pos = i
	}
	return t, nil
}

// echar returns the character an ECHAR "\c" stands for, or 0.
func echar(c byte) byte {
	switch c {
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 'f':
		return '\f'
	case '"', '\'', '\\':
		return c
	}
	return 0
}

// blankNode parses a BLANK_NODE_LABEL at p.pos (which is '_').
func (p *parser) blankNode() (Term, error) {
	start := p.pos
	if p.pos+1 >= len(p.src) || p.src[p.pos+1] != ':' {
		return Term{}, p.errorAt(p.pos, "expected \"_:\"")
	}
	i := p.pos + 2
	r, n := utf8.DecodeRuneInString(p.src[i:])
	if n == 0 || !(isPNCharsU(r) || r >= '0' && r <= '9') {
		return Term{}, p.errorAt(i, "invalid blank node label")
	}
	i += n
	end := i // end of the label so far, excluding trailing dots
	for i < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[i:])
		if r == '.' {
			i += n
			continue
		}
		if !isPNChars(r) {
			break
		}
		i += n
		end = i
	}
	p.pos = end
	return Term{Kind: BlankNode, Value: p.src[start+2 : end]}, nil
}

func isPNCharsBase(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isPNCharsU(r rune) bool { return r == '_' || r == ':' || isPNCharsBase(r) }

func isPNChars(r rune) bool {
	return isPNCharsU(r) || r == '-' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}
