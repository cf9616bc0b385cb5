// Package jcs holds the rules of the JSON Canonicalization Scheme (JCS, RFC
// 8785): member names compared by their UTF-16 code units (CompareUTF16),
// strings with the minimal escaping of ECMAScript's JSON.stringify
// (AppendString) and numbers serialised as IEEE 754 doubles with
// ECMAScript's Number.prototype.toString (AppendNumber). The writer of whole
// documents is internal/strictjson's Value.AppendJCS, over the parse tree.
// AppendJSONString is the library's encoding/json-style string writer.
package jcs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors returned (wrapped, with detail) by this package.
var (
	// ErrNumber reports a number JCS cannot represent: NaN or ±Infinity.
	ErrNumber = errors.New("jcs: number not representable")
	// ErrInvalidString reports a string or member name that is not valid
	// Unicode (invalid UTF-8 or a lone surrogate).
	ErrInvalidString = errors.New("jcs: invalid string")
)

// CompareUTF16 compares a and b by their UTF-16 code units, the order RFC
// 8785 §3.2.3 prescribes for member names. It differs from Go's byte order
// (which is code point order) only between characters above U+FFFF, which
// UTF-16 encodes as surrogates 0xD800–0xDFFF, and U+E000–U+FFFF.
func CompareUTF16(a, b string) int {
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua1, ua2 := codeUnits(ra)
			ub1, ub2 := codeUnits(rb)
			if ua1 != ub1 {
				return cmpUnit(ua1, ub1)
			}
			return cmpUnit(ua2, ub2)
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case len(a) == len(b):
		return 0
	case len(a) == 0:
		return -1
	default:
		return 1
	}
}

func cmpUnit(a, b rune) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func codeUnits(r rune) (rune, rune) {
	if r < 0x10000 {
		return r, -1
	}
	return utf16.EncodeRune(r)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JCS string: '"' and '\' escaped, \b \t \n \f
// \r for those controls, \u00xx (lower-case hex) for the other controls
// below U+0020, and every other character as is, in UTF-8. It fails on
// invalid UTF-8 (which is how lone surrogates reach Go strings).
func AppendString(dst []byte, s string) ([]byte, error) {
	return appendString(dst, s, false)
}

// AppendJSONString appends s as encoding/json writes a string (without its
// HTML escaping): as AppendString does, except that invalid UTF-8 is
// written as \ufffd and U+2028 and U+2029 as \u2028 and \u2029, which
// JavaScript source cannot hold literally. It is the library's one JSON
// string writer besides JCS's.
func AppendJSONString(dst []byte, s string) []byte {
	out, _ := appendString(dst, s, true)
	return out
}

// appendString is AppendString, or AppendJSONString when forJSON is set.
func appendString(dst []byte, s string, forJSON bool) ([]byte, error) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1 && !forJSON:
				return dst, fmt.Errorf("%w: invalid UTF-8 at byte %d", ErrInvalidString, i)
			case r == utf8.RuneError && n == 1:
				dst = append(append(dst, s[start:i]...), `\ufffd`...)
				start = i + n
			case forJSON && (r == '\u2028' || r == '\u2029'):
				dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
				start = i + n
			}
			i += n
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
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
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), nil
}

// AppendNumber appends f as ECMAScript's Number.prototype.toString does
// (ECMA-262 §6.1.6.1.20), which RFC 8785 §3.2.2.3 adopts: the shortest
// decimal that round-trips, in plain notation for exponents from -7 to 20 and
// in exponential notation ("1e+21", "1.5e-7") outside. -0 is "0". NaN and
// ±Infinity fail with ErrNumber.
func AppendNumber(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, fmt.Errorf("%w: %v", ErrNumber, f)
	}
	if f == 0 {
		return append(dst, '0'), nil
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Fast path for integers that are exactly representable and below 1e21,
	// the common case in credentials.
	if f < 1e21 && f == math.Trunc(f) && f <= 1<<53 {
		return strconv.AppendUint(dst, uint64(f), 10), nil
	}
	// Shortest round-trip digits: strconv gives "d.ddddde±xx".
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	e := 0
	for e < len(b) && b[e] != 'e' {
		e++
	}
	exp, _ := strconv.Atoi(string(b[e+1:]))
	var digitBuf [24]byte
	digits := digitBuf[:0]
	for _, c := range b[:e] {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	k := len(digits)
	n := exp + 1 // the value is 0.d1d2…dk × 10^n
	switch {
	case k <= n && n <= 21:
		dst = append(dst, digits...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default:
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst, nil
}
