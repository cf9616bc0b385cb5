package jsonld

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// appendJCS appends the JSON Canonicalization Scheme (RFC 8785) form of v:
// members sorted by UTF-16 code units, ECMAScript number formatting, minimal
// string escaping. JSON-LD uses it for the lexical form of rdf:JSON literals.
func appendJCS(b []byte, v *jv) []byte {
	switch v.k {
	case jNull:
		return append(b, "null"...)
	case jBool:
		if v.b {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case jNumber:
		return appendESNumber(b, v.f)
	case jString:
		return appendJCSString(b, v.s)
	case jArray:
		b = append(b, '[')
		for i := range v.arr {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJCS(b, &v.arr[i])
		}
		return append(b, ']')
	case jObject:
		idx := make([]int, len(v.obj))
		ascii := true
		for i := range idx {
			idx[i] = i
			ascii = ascii && isASCII(v.obj[i].key)
		}
		if ascii {
			// Members are already in byte order, which is UTF-16 order
			// for ASCII keys.
			slices.SortFunc(idx, func(x, y int) int { return strings.Compare(v.obj[x].key, v.obj[y].key) })
		} else {
			u := make([][]uint16, len(v.obj))
			for i := range u {
				u[i] = utf16.Encode([]rune(v.obj[i].key))
			}
			slices.SortFunc(idx, func(x, y int) int { return slices.Compare(u[x], u[y]) })
		}
		b = append(b, '{')
		for n, i := range idx {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendJCSString(b, v.obj[i].key)
			b = append(b, ':')
			b = appendJCS(b, &v.obj[i].val)
		}
		return append(b, '}')
	}
	return b
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func appendJCSString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b = append(b, '\\', '"')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendESNumber formats f as ECMAScript's Number.prototype.toString does
// (the JCS number form).
func appendESNumber(b []byte, f float64) []byte {
	if f == 0 {
		return append(b, '0')
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	// Shortest round-trip digits and exponent.
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	// e is like "1.2345e+06" or "5e-07".
	mant, exp, _ := strings.Cut(string(e), "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k := len(digits)
	n := x + 1 // position of the decimal point relative to the digits
	switch {
	case k <= n && n <= 21:
		b = append(b, digits...)
		for i := 0; i < n-k; i++ {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, digits[:n]...)
		b = append(b, '.')
		b = append(b, digits[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for i := 0; i < -n; i++ {
			b = append(b, '0')
		}
		b = append(b, digits...)
	default:
		b = append(b, digits[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}

// xsdDouble returns the canonical xsd:double lexical form JSON-LD's toRDF
// uses (as jsonld.js: toExponential(15) with trailing zeros trimmed), e.g.
// 1.1E0, 5.3E-1, 1.0E21.
func xsdDouble(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "NaN"
	}
	var tmp [40]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', 15, 64) // d.ddddddddddddddde±XX
	s := string(e)
	mant, exp, _ := strings.Cut(s, "e")
	if dot := strings.IndexByte(mant, '.'); dot >= 0 {
		mant = strings.TrimRight(mant, "0")
		if strings.HasSuffix(mant, ".") {
			mant += "0"
		}
	}
	x, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(x)
}

// xsdInteger returns the integer lexical form of an integral f.
func xsdInteger(f float64) string {
	if f == 0 {
		return "0"
	}
	if f >= -1<<53 && f <= 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}
