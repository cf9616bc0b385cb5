package jsonld

import (
	"errors"
	"math"
	"strconv"
)

// ErrLossyNumber is returned (wrapped) for a JSON number whose value the
// JSON-LD to RDF conversion would change: an integer beyond ±(2^53 - 1), which a
// float64 cannot hold exactly, or a non-integer that the canonical
// xsd:double form (16 significant digits) does not round-trip. Two
// different numbers would then have the same canonical form, so one could
// be swapped for the other in a signed credential (9007199254740993 for
// 9007199254740992, 0.3 for 0.30000000000000004) without breaking the
// signature. Non-integers below 1e-6 in magnitude are refused too: jsonld.js
// (the JavaScript reference) writes them as the integer 0, so a signature
// from it over 1e-7 would also cover 0. Values that must be exact belong in
// strings.
var ErrLossyNumber = errors.New("jsonld: number would lose precision")

// maxSafeInteger is 2^53 - 1 (JavaScript's Number.MAX_SAFE_INTEGER): every
// integer up to it is exact in a float64, and no other integer rounds to it
// (9007199254740993 rounds to 2^53).
const maxSafeInteger = 1<<53 - 1

// checkNumber reports whether the number f, read from JSON, survives the
// conversion to RDF unchanged.
func checkNumber(f float64) error {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		if math.Abs(f) > maxSafeInteger {
			return ErrLossyNumber
		}
		return nil
	}
	if math.Abs(f) < 1e-6 {
		return ErrLossyNumber
	}
	var tmp [32]byte
	back, err := strconv.ParseFloat(string(strconv.AppendFloat(tmp[:0], f, 'e', 15, 64)), 64)
	if err != nil || back != f {
		return ErrLossyNumber
	}
	return nil
}
