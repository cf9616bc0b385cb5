package jsonld

import (
	"math"
	"strconv"
	"strings"
)

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
