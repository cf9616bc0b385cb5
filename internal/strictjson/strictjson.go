// Package strictjson is the strict, single-pass JSON parser for untrusted
// input.
//
// Parse reads JSON text into an immutable tree (Value) that keeps members in
// document order; Decode gives the same document in encoding/json's shapes
// (map[string]any, []any, string, bool, nil and json.Number, as decoding
// into an any with UseNumber does). Both reject what encoding/json lets
// through silently and what would let two readers of the same bytes
// disagree:
//
//   - duplicate member names in an object (encoding/json keeps the last one),
//     and optionally names that are equal under Unicode case folding;
//   - invalid UTF-8, and \u escapes that do not form a Unicode scalar value
//     (lone surrogates), which RFC 8259 §8.2 and I-JSON (RFC 7493 §2.1) rule
//     out and encoding/json replaces with U+FFFD;
//   - anything after the value other than white space;
//   - inputs larger, deeper or wider than Options allows.
//
// Every failure is an *Error carrying a sentinel (errors.Is works), the byte
// offset and a JSONPath-like location such as $.credentialSubject.achievement
// or $.proof[1].
//
// The parser never panics and recursion is bounded by Options.MaxDepth (and
// by HardMaxDepth whatever the options say).
//
// Strings that contain no escape sequence share memory with the input (with
// the one copy Decode makes of it; Parse makes none), so a long-lived string
// from the result keeps the whole input (at most Options.MaxBytes) alive.
//
// A caller that reads a document only for the length of a call gives its
// nodes back with Value.Release, for the next Parse to reuse (Decode does,
// once it has the Go values).
package strictjson

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Defaults used for zero (or negative) fields of Options. A credential is a
// few kilobytes and nests about ten levels deep, so these leave ample room
// while bounding the work an attacker can cause.
const (
	DefaultMaxBytes = 4 << 20 // 4 MiB
	DefaultMaxDepth = 64      // nested objects and arrays
	DefaultMaxKeys  = 10000   // members in one object
	// HardMaxDepth caps Options.MaxDepth, so that a careless caller cannot
	// remove the recursion bound.
	HardMaxDepth = 10000
)

// Sentinel errors, wrapped in *Error.
var (
	ErrSyntax       = errors.New("strictjson: syntax error")
	ErrDuplicateKey = errors.New("strictjson: duplicate key")
	ErrInvalidUTF8  = errors.New("strictjson: invalid UTF-8")
	ErrTooDeep      = errors.New("strictjson: nesting too deep")
	ErrTooLarge     = errors.New("strictjson: input too large")
)

// Options bounds the input. The zero value is safe: every zero field takes its
// default.
type Options struct {
	// MaxBytes is the largest accepted input; 0 means DefaultMaxBytes.
	MaxBytes int
	// MaxDepth is the deepest accepted nesting of objects and arrays (a
	// top-level object is depth 1); 0 means DefaultMaxDepth, and values above
	// HardMaxDepth are lowered to it.
	MaxDepth int
	// MaxKeys is the largest number of members in any one object; 0 means
	// DefaultMaxKeys.
	MaxKeys int
	// FoldDuplicateKeys also rejects, as ErrDuplicateKey, two member names
	// of one object that are equal under Unicode simple case folding
	// ("type" and "Type"), which case-insensitive readers would merge.
	FoldDuplicateKeys bool
	// IJSON also rejects, as ErrInvalidUTF8, Unicode noncharacters
	// (U+FDD0–U+FDEF and the last two code points of every plane), which
	// I-JSON (RFC 7493 §2.1) rules out along with surrogates. Surrogates
	// are always rejected; noncharacters are valid UTF-8 and pass by
	// default.
	IJSON bool
}

// Error reports why and where decoding failed.
type Error struct {
	// Path locates the failing value: "$" is the top level, ".name" or
	// `["odd name"]` a member, "[3]" an array element.
	Path string
	// Offset is the byte offset in the input where the problem was found.
	Offset int64
	// Err wraps one of the sentinel errors, with detail.
	Err error

	segs []seg // path segments, innermost first, collected while unwinding
}

type seg struct {
	key   string
	index int // -1 for a key
}

// Error returns the reason, the path and the offset.
func (e *Error) Error() string {
	return e.Err.Error() + " at " + e.Path + " (offset " + strconv.FormatInt(e.Offset, 10) + ")"
}

// Unwrap returns the wrapped sentinel.
func (e *Error) Unwrap() error { return e.Err }

// AppendKey returns path extended by the member name key, in the syntax of
// Error.Path: ".key" for plain names and `["key"]` otherwise.
func AppendKey(path, key string) string {
	if isPlainName(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// AppendIndex returns path extended by the array index i.
func AppendIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func isPlainName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '@', c == '$':
		case (c >= '0' && c <= '9') || c == '-':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Decode parses data as exactly one JSON value into encoding/json's shapes
// (map[string]any, []any, string, bool, nil and json.Number): Parse, then
// Value.ToGo.
func Decode(data []byte, opts Options) (any, error) {
	if err := CheckSize(len(data), opts); err != nil {
		return nil, err
	}
	v, err := Parse(string(data), opts)
	if err != nil {
		return nil, err
	}
	x := v.ToGo()
	v.Release() // the Go values hold strings of the input, never the nodes
	return x, nil
}

// CheckSize refuses n bytes of input beyond opts.MaxBytes, with the error
// Decode would return, so that a caller can refuse input before copying it.
func CheckSize(n int, opts Options) error {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if n > maxBytes {
		return &Error{Path: "$", Offset: int64(maxBytes), Err: wrap(ErrTooLarge, "more than "+strconv.Itoa(maxBytes)+" bytes")}
	}
	return nil
}

// finish ends a parse that returned err: after the top-level value only
// white space may follow, and an *Error gets its Path.
func (d *decoder) finish(err error) error {
	if err == nil {
		d.skipSpace()
		if d.i >= len(d.s) {
			return nil
		}
		err = d.syntax("trailing data after the top-level value")
	}
	e := err.(*Error)
	e.Path = buildPath(e.segs)
	e.segs = nil
	return e
}

// setLimits sets the decoder's limits from opts.
func (d *decoder) setLimits(opts Options) {
	d.maxDepth, d.maxKeys, d.fold, d.ijson = opts.MaxDepth, opts.MaxKeys, opts.FoldDuplicateKeys, opts.IJSON
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	if d.maxDepth > HardMaxDepth {
		d.maxDepth = HardMaxDepth
	}
	if d.maxKeys <= 0 {
		d.maxKeys = DefaultMaxKeys
	}
}

func buildPath(segs []seg) string {
	var b strings.Builder
	b.WriteString("$")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		} else if isPlainName(s.key) {
			b.WriteByte('.')
			b.WriteString(s.key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Quote(s.key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

type wrapped struct {
	sentinel error
	detail   string
}

func (w *wrapped) Error() string { return w.sentinel.Error() + ": " + w.detail }
func (w *wrapped) Unwrap() error { return w.sentinel }

func wrap(sentinel error, detail string) error { return &wrapped{sentinel, detail} }

type decoder struct {
	s        string
	i        int
	depth    int
	maxDepth int
	maxKeys  int
	fold     bool
	ijson    bool

	buf []byte // unescaping
	// nodes is the tree Parse builds, esc the decoded text of its strings
	// with escapes.
	nodes []node
	esc   []byte
	space int // bytes of white space skipped between tokens
}

func (d *decoder) fail(off int, sentinel error, detail string) error {
	return &Error{Offset: int64(off), Err: wrap(sentinel, detail)}
}

func (d *decoder) syntax(detail string) error {
	if d.i >= len(d.s) {
		return d.fail(d.i, ErrSyntax, "unexpected end of input")
	}
	return d.fail(d.i, ErrSyntax, detail)
}

func (d *decoder) unexpected(where string) error {
	if d.i >= len(d.s) {
		return d.fail(d.i, ErrSyntax, "unexpected end of input")
	}
	return d.fail(d.i, ErrSyntax, "invalid character "+quoteChar(d.s[d.i])+" "+where)
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		q = `"\x` + strconv.FormatUint(uint64(c), 16) + `"`
	}
	return "'" + q[1:len(q)-1] + "'"
}

func (d *decoder) skipSpace() {
	start := d.i
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			d.space += d.i - start
			return
		}
	}
	d.space += d.i - start
}

func (d *decoder) literal(lit string) error {
	if strings.HasPrefix(d.s[d.i:], lit) {
		d.i += len(lit)
		return nil
	}
	// Point at the first wrong byte.
	for j := 0; j < len(lit); j++ {
		if d.i+j >= len(d.s) || d.s[d.i+j] != lit[j] {
			d.i += j
			return d.unexpected("in literal " + lit)
		}
	}
	return nil // unreachable
}

// numberText scans the number at d.i and returns its text.
func (d *decoder) numberText() (string, error) {
	start := d.i
	s := d.s
	i := d.i
	if s[i] == '-' {
		i++
	}
	if i >= len(s) {
		d.i = i
		return "", d.syntax("")
	}
	switch {
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		d.i = i
		return "", d.unexpected("in numeric literal")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			d.i = i
			return "", d.unexpected("after decimal point in numeric literal")
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	hasExp := false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		hasExp = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			d.i = i
			return "", d.unexpected("in exponent of numeric literal")
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	d.i = i
	// A number beyond the float64 range is refused, as encoding/json does
	// (and I-JSON requires): every consumer would read it differently. Only
	// an exponent or more than 308 digits can overflow.
	if hasExp || i-start > 308 {
		if _, err := strconv.ParseFloat(s[start:i], 64); err != nil {
			return "", d.fail(start, ErrSyntax, "number out of range: "+s[start:min(i, start+40)])
		}
	}
	return s[start:i], nil
}

// rawString decodes a string token; d.s[d.i] is the opening quote.
func (d *decoder) rawString() (string, error) {
	s := d.s
	start := d.i + 1
	i := start
	// Fast path: no escapes.
	for i < len(s) {
		// Plain ASCII (the bulk of every credential) in a tight loop.
		for i < len(s) && plainASCII[s[i]] {
			i++
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c == '"' {
			d.i = i + 1
			return s[start:i], nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			d.i = i
			return "", d.unexpected("in string literal")
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", d.fail(i, ErrInvalidUTF8, "invalid UTF-8 in string")
			}
			if d.ijson && isNoncharacter(r) {
				return "", d.fail(i, ErrInvalidUTF8, "noncharacter "+fmtRune(r)+" (I-JSON)")
			}
			i += size
			continue
		}
		i++
	}
	if i >= len(s) {
		d.i = i
		return "", d.syntax("")
	}
	// Slow path: unescape into d.buf.
	buf := append(d.buf[:0], s[start:i]...)
	for {
		if i >= len(s) {
			d.i = i
			return "", d.syntax("")
		}
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			d.buf = buf
			return string(buf), nil
		case c == '\\':
			if i+1 >= len(s) {
				d.i = i + 1
				return "", d.syntax("")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
				i += 2
			case 'b':
				buf = append(buf, '\b')
				i += 2
			case 'f':
				buf = append(buf, '\f')
				i += 2
			case 'n':
				buf = append(buf, '\n')
				i += 2
			case 'r':
				buf = append(buf, '\r')
				i += 2
			case 't':
				buf = append(buf, '\t')
				i += 2
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					d.i = i + 2
					return "", d.badHex()
				}
				escStart := i
				i += 6
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 {
						return "", d.fail(escStart, ErrInvalidUTF8, "lone low surrogate in \\u escape")
					}
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2, ok := hex4(s, i+2)
						if !ok {
							d.i = i + 2
							return "", d.badHex()
						}
						if r2 < 0xDC00 || r2 > 0xDFFF {
							return "", d.fail(escStart, ErrInvalidUTF8, "high surrogate in \\u escape not followed by a low surrogate")
						}
						r = utf16.DecodeRune(r, r2)
						i += 6
					} else {
						return "", d.fail(escStart, ErrInvalidUTF8, "lone high surrogate in \\u escape")
					}
				}
				if d.ijson && isNoncharacter(r) {
					return "", d.fail(escStart, ErrInvalidUTF8, "noncharacter "+fmtRune(r)+" in \\u escape (I-JSON)")
				}
				buf = utf8.AppendRune(buf, r)
			default:
				d.i = i + 1
				return "", d.unexpected("in string escape code")
			}
		case c < 0x20:
			d.i = i
			return "", d.unexpected("in string literal")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", d.fail(i, ErrInvalidUTF8, "invalid UTF-8 in string")
			}
			if d.ijson && isNoncharacter(r) {
				return "", d.fail(i, ErrInvalidUTF8, "noncharacter "+fmtRune(r)+" (I-JSON)")
			}
			buf = append(buf, s[i:i+size]...)
			i += size
		default:
			buf = append(buf, c)
			i++
		}
	}
}

func (d *decoder) badHex() error {
	for j := 0; j < 4; j++ {
		if d.i >= len(d.s) {
			break
		}
		if _, ok := hexVal(d.s[d.i]); !ok {
			break
		}
		d.i++
	}
	return d.unexpected("in \\u hexadecimal character escape")
}

func hexVal(c byte) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10, true
	}
	return 0, false
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		v, ok := hexVal(s[j])
		if !ok {
			return 0, false
		}
		r = r<<4 | v
	}
	return r, true
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.fail(d.i, ErrTooDeep, "more than "+strconv.Itoa(d.maxDepth)+" nested objects and arrays")
	}
	return nil
}

// withKey records, while an error unwinds, that it happened inside member k.
func withKey(err error, k string) error {
	e := err.(*Error)
	e.segs = append(e.segs, seg{key: k, index: -1})
	return e
}

func withIndex(err error, i int) error {
	e := err.(*Error)
	e.segs = append(e.segs, seg{index: i})
	return e
}

// smallObject is the member count up to which duplicates are found by a
// linear scan of the object's members; larger objects switch to a map.
const smallObject = 16

// foldKey maps names that strings.EqualFold considers equal to one string.
func foldKey(k string) string {
	return strings.ToLower(strings.ToUpper(k))
}

// plainASCII marks the bytes a string can hold as they are with nothing to
// check: printable ASCII other than '"' and '\\'.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// isNoncharacter reports whether r is a Unicode noncharacter.
func isNoncharacter(r rune) bool {
	return (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE
}

func fmtRune(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for len(h) < 4 {
		h = "0" + h
	}
	return "U+" + h
}
