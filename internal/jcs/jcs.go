// Package jcs implements the JSON Canonicalization Scheme (JCS, RFC 8785):
// object members sorted by the UTF-16 code units of their names, no
// insignificant white space, strings with the minimal escaping of
// ECMAScript's JSON.stringify, and numbers serialised as IEEE 754 doubles with
// ECMAScript's Number.prototype.toString.
//
// Marshal and Append canonicalize a value already decoded from JSON
// (map[string]any, []any, string, bool, nil, json.Number or float64);
// Transform canonicalizes JSON text, rejecting what I-JSON (RFC 7493) forbids:
// duplicate member names, invalid UTF-8 and lone surrogates.
package jcs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors returned (wrapped, with detail) by this package.
var (
	// ErrNumber reports a number JCS cannot represent: NaN, ±Infinity, a
	// literal outside the range of float64, or malformed number text.
	ErrNumber = errors.New("jcs: number not representable")
	// ErrInvalidString reports a string or member name that is not valid
	// Unicode (invalid UTF-8 or a lone surrogate).
	ErrInvalidString = errors.New("jcs: invalid string")
	// ErrUnsupportedType reports a Go value of a type JCS does not handle.
	ErrUnsupportedType = errors.New("jcs: unsupported type")
	// ErrSyntax reports JSON text that is not valid I-JSON.
	ErrSyntax = errors.New("jcs: invalid JSON")
	// ErrTooDeep reports nesting deeper than MaxDepth.
	ErrTooDeep = errors.New("jcs: nesting too deep")
)

// MaxDepth bounds the nesting of arrays and objects, so that hostile input
// cannot exhaust the stack.
const MaxDepth = 1000

// Marshal returns the canonical JSON of v, a value decoded from JSON.
func Marshal(v any) ([]byte, error) {
	return Append(make([]byte, 0, 256), v)
}

// Append appends the canonical JSON of v to dst. Supported types: nil, bool,
// string, json.Number, float64, float32, int, int32, int64, uint, uint32,
// uint64, map[string]any, map[string]string, []any, []string and
// []map[string]any. Integers are converted to float64 first, as RFC 8785
// requires, so integers beyond ±2^53 lose precision exactly as they do in
// ECMAScript.
func Append(dst []byte, v any) ([]byte, error) {
	return appendValue(dst, v, 0)
}

func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return dst, ErrTooDeep
	}
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return AppendString(dst, x)
	case json.Number:
		f, err := ParseNumber(string(x))
		if err != nil {
			return dst, err
		}
		return AppendNumber(dst, f)
	case float64:
		return AppendNumber(dst, x)
	case float32:
		return AppendNumber(dst, float64(x))
	case int:
		return AppendNumber(dst, float64(x))
	case int32:
		return AppendNumber(dst, float64(x))
	case int64:
		return AppendNumber(dst, float64(x))
	case uint:
		return AppendNumber(dst, float64(x))
	case uint32:
		return AppendNumber(dst, float64(x))
	case uint64:
		return AppendNumber(dst, float64(x))
	case map[string]any:
		keys := sortedKeys(x)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendString(dst, k); err != nil {
				return dst, err
			}
			dst = append(dst, ':')
			if dst, err = appendValue(dst, x[k], depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case map[string]string:
		keys := sortedKeys(x)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendString(dst, k); err != nil {
				return dst, err
			}
			dst = append(dst, ':')
			if dst, err = AppendString(dst, x[k]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case []string:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendString(dst, e); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case []map[string]any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	default:
		return dst, fmt.Errorf("%w: %T", ErrUnsupportedType, v)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	ascii := true
	for k := range m {
		keys = append(keys, k)
		if ascii && !isASCII(k) {
			ascii = false
		}
	}
	if ascii {
		// For ASCII names, byte order is UTF-16 code unit order.
		slices.Sort(keys)
	} else {
		slices.SortFunc(keys, CompareUTF16)
	}
	return keys
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

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

// ParseNumber parses JSON number text (RFC 8259 grammar) to the nearest
// float64, as ECMAScript's JSON.parse does. Literals whose magnitude exceeds
// the float64 range fail with ErrNumber.
func ParseNumber(s string) (float64, error) {
	if !validNumber(s) {
		return 0, fmt.Errorf("%w: malformed number %q", ErrNumber, truncate(s))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: %q is out of range", ErrNumber, truncate(s))
	}
	return f, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// validNumber reports whether s matches the JSON number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(s)
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
