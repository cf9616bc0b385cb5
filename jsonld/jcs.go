package jsonld

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/internal/jcs"
)

// appendJCS appends the JSON Canonicalization Scheme (RFC 8785) form of v:
// members sorted by UTF-16 code units, ECMAScript number formatting, minimal
// string escaping. JSON-LD uses it for the lexical form of rdf:JSON literals
// (and the processor to key its cache of inline contexts). The RFC 8785
// rules themselves are internal/jcs's, the library's one implementation;
// this walks the parse tree without converting it to Go values first.
//
// v comes from the strict parser or fromGo, so its strings are valid UTF-8
// and its numbers finite: internal/jcs cannot fail on them.
func appendJCS(b []byte, v *jv) []byte {
	switch v.Kind() {
	case jNull:
		return append(b, "null"...)
	case jBool:
		if v.Bool() {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case jNumber:
		out, err := jcs.AppendNumber(b, v.Float())
		if err != nil {
			return append(b, "null"...) // unreachable: numbers are finite
		}
		return out
	case jString:
		return appendJCSString(b, v.Str())
	case jArray:
		b = append(b, '[')
		for i, e := range v.Elements() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJCS(b, &e)
		}
		return append(b, ']')
	case jObject:
		var small [16]member
		ms := members(small[:0], v)
		ascii := true
		for _, m := range ms {
			ascii = ascii && isASCII(m.key)
		}
		if !ascii {
			// members sorts by bytes, which is UTF-16 order for ASCII names.
			slices.SortFunc(ms, func(x, y member) int { return jcs.CompareUTF16(x.key, y.key) })
		}
		b = append(b, '{')
		for n := range ms {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendJCSString(b, ms[n].key)
			b = append(b, ':')
			b = appendJCS(b, &ms[n].val)
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

// appendJCSString appends s (valid UTF-8) as a JCS string.
func appendJCSString(b []byte, s string) []byte {
	out, err := jcs.AppendString(b, s)
	if err != nil {
		// Unreachable for parsed strings; keep the output well-formed.
		return append(b, `""`...)
	}
	return out
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
