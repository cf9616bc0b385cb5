package jcs

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Appendix B of RFC 8785: IEEE 754 bit patterns and their canonical text.
var rfcNumbers = []struct {
	bits uint64
	want string // "" means the value must be rejected (NaN, Infinity)
}{
	{0x0000000000000000, "0"},
	{0x8000000000000000, "0"}, // minus zero
	{0x0000000000000001, "5e-324"},
	{0x8000000000000001, "-5e-324"},
	{0x7fefffffffffffff, "1.7976931348623157e+308"},
	{0xffefffffffffffff, "-1.7976931348623157e+308"},
	{0x4340000000000000, "9007199254740992"},
	{0xc340000000000000, "-9007199254740992"},
	{0x4430000000000000, "295147905179352830000"},
	{0x7fffffffffffffff, ""}, // NaN
	{0x7ff0000000000000, ""}, // Infinity
	{0x44b52d02c7e14af5, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6, "1e+23"},
	{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4e, "999999999999999700000"},
	{0x444b1ae4d6e2ef4f, "999999999999999900000"},
	{0x444b1ae4d6e2ef50, "1e+21"},
	{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8d, "0.000001"},
	{0x41b3de4355555553, "333333333.3333332"},
	{0x41b3de4355555554, "333333333.33333325"},
	{0x41b3de4355555555, "333333333.3333333"},
	{0x41b3de4355555556, "333333333.3333334"},
	{0x41b3de4355555557, "333333333.33333343"},
	{0xbecbf647612f3696, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959, "1424953923781206.2"},
}

func TestFormatNumberRFC8785AppendixB(t *testing.T) {
	for _, tc := range rfcNumbers {
		f := math.Float64frombits(tc.bits)
		got, err := formatNumber(f)
		if tc.want == "" {
			if !errors.Is(err, ErrNumber) {
				t.Errorf("%016x: got %q, %v; want ErrNumber", tc.bits, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%016x: got %q, %v; want %q", tc.bits, got, err, tc.want)
		}
		// The text must round-trip to the same bits (except -0).
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || (back != f && f != 0) {
			t.Errorf("%016x: %q does not round-trip: %v %v", tc.bits, got, back, err)
		}
	}
}

// ECMA-262 Number::toString boundaries: plain notation for 1e-7 < |x| < 1e21.
func TestFormatNumberNotationBoundaries(t *testing.T) {
	cases := map[float64]string{
		1:                           "1",
		-1:                          "-1",
		0.1:                         "0.1",
		1.5:                         "1.5",
		100:                         "100",
		123456789:                   "123456789",
		1e20:                        "100000000000000000000",
		1e21:                        "1e+21",
		1.5e21:                      "1.5e+21",
		1e-6:                        "0.000001",
		1e-7:                        "1e-7",
		1.5e-7:                      "1.5e-7",
		0.000001234:                 "0.000001234",
		123e-20:                     "1.23e-18",
		4.5:                         "4.5",
		0.002:                       "0.002",
		1e30:                        "1e+30",
		1e-27:                       "1e-27",
		math.MaxInt64:               "9223372036854776000",
		math.SmallestNonzeroFloat64: "5e-324",
		2.5e-323:                    "2.5e-323",
		9007199254740993:            "9007199254740992", // not representable: rounds to 2^53
		123456789012345680000:       "123456789012345680000",
		-0.5:                        "-0.5",
	}
	for f, want := range cases {
		got, err := formatNumber(f)
		if err != nil || got != want {
			t.Errorf("formatNumber(%v) = %q, %v; want %q", f, got, err, want)
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "b", -1},
		{"a", "ab", -1},
		{"\U0001F600", "\ufb33", -1}, // surrogate D83D < FB33, unlike code point order
		{"\ufb33", "\U0001F600", 1},
		{"\U0001F600", "\U0001F601", -1}, // same high surrogate, low DE00 < DE01
		{"\U0001F600", "\U0001F600", 0},
		{"\U00010000", "\U0010FFFF", -1},
		{"\uffff", "\U00010000", 1},
		{"\ud7ff", "\U00010000", -1},
	}
	for _, tc := range cases {
		if got := CompareUTF16(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareUTF16(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRejects(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := AppendNumber(nil, f)
		assert.ErrorIs(t, err, ErrNumber, "%v", f)
	}
	for _, s := range []string{"a\xffb", "\xed\xa0\x80"} { // invalid UTF-8, an encoded lone surrogate
		_, err := AppendString(nil, s)
		assert.ErrorIs(t, err, ErrInvalidString, "%q", s)
	}
}

func FuzzFormatNumber(f *testing.F) {
	for _, tc := range rfcNumbers {
		f.Add(tc.bits)
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s, err := formatNumber(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if err == nil {
				t.Fatalf("accepted %v", x)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || (back != x) {
			t.Fatalf("%v -> %q -> %v, %v", x, s, back, err)
		}
		if !json.Valid([]byte(s)) {
			t.Fatalf("%q is not a JSON number", s)
		}
	})
}

// formatNumber is AppendNumber into a string of its own.
func formatNumber(f float64) (string, error) {
	b, err := AppendNumber(nil, f)
	return string(b), err
}
