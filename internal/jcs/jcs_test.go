package jcs

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
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

func TestParseNumber(t *testing.T) {
	good := map[string]float64{
		"0": 0, "-0": 0, "1": 1, "4.50": 4.5, "2e-3": 0.002, "1E30": 1e30, "1e+2": 100,
		"333333333.33333329": 333333333.3333333, "0.000000000000000000000000001": 1e-27,
		"1e-400": 0, // underflows to zero, as in ECMAScript
	}
	for s, want := range good {
		got, err := ParseNumber(s)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "1_000", "1e400", "-1e309", " 1", "1 "} {
		if _, err := ParseNumber(s); !errors.Is(err, ErrNumber) {
			t.Errorf("ParseNumber(%q): err = %v, want ErrNumber", s, err)
		}
	}
}

// Test data of RFC 8785's author (github.com/cyberphone/json-canonicalization,
// testdata/input and testdata/output); "values" is also the example of RFC 8785
// §3.2.2 and "weird" extends the sorting example of §3.2.3.
var rfcTransforms = []struct{ name, in, want string }{
	{
		"values",
		`{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
		`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`,
	},
	{
		"rfc8785-3.2.2",
		`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
		`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
	},
	{
		"weird",
		`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`,
		"{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F602\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
	},
	{
		"structures",
		`{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
}`,
		`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}`,
	},
	{
		"french",
		`{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ingnore locale"
}`,
		`{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}`,
	},
	{
		"unicode (no normalization)",
		`{"Unnormalized Unicode":"\u1e0d\u0307"}`,
		"{\"Unnormalized Unicode\":\"\u1e0d\u0307\"}",
	},
	{
		"controls",
		`["\u0000\u0001\b\t\n\u000b\f\r\u001f \u007f\u2028"]`,
		"[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \u007f\u2028\"]",
	},
	{"scalar", ` 1.0 `, `1`},
	{"nested empty", `[[],{},[{}]]`, `[[],{},[{}]]`},
}

func TestTransformRFCExamples(t *testing.T) {
	for _, tc := range rfcTransforms {
		got, err := Transform([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		// Canonical output is a fixed point.
		again, err := Transform(got)
		if err != nil || string(again) != string(got) {
			t.Errorf("%s: not idempotent: %s, %v", tc.name, again, err)
		}
	}
}

// RFC 8785 §3.2.3: member names sorted by UTF-16 code units.
func TestSortingRFC8785(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	v, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	dec := json.NewDecoder(strings.NewReader(string(got)))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		order = append(order, k.(string))
		dec.Token()
	}
	want := []string{"\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001F600", "\ufb33"}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Errorf("order = %q, want %q", order, want)
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

func TestMarshalDecodedValues(t *testing.T) {
	v := map[string]any{
		"b": []any{json.Number("1.0"), float64(2), int64(3), true, nil},
		"a": map[string]any{"z": "é", "y": []string{"x"}},
		"c": map[string]string{"k": "v"},
		"d": []map[string]any{{"e": 1}},
	}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":{"y":["x"],"z":"é"},"b":[1,2,3,true,null],"c":{"k":"v"},"d":[{"e":1}]}`
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want error
	}{
		{"NaN", math.NaN(), ErrNumber},
		{"+Inf", math.Inf(1), ErrNumber},
		{"bad json.Number", json.Number("1e999"), ErrNumber},
		{"malformed json.Number", json.Number("0x1p3"), ErrNumber},
		{"invalid UTF-8 value", "a\xffb", ErrInvalidString},
		{"invalid UTF-8 name", map[string]any{"\xed\xa0\x80": 1}, ErrInvalidString}, // encoded lone surrogate
		{"channel", make(chan int), ErrUnsupportedType},
		{"struct", struct{}{}, ErrUnsupportedType},
	} {
		if _, err := Marshal(tc.v); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want error
	}{
		{`{"a":1,"a":2}`, ErrSyntax},
		{`"\ud800"`, ErrInvalidString},
		{`"\udc00\ud800"`, ErrInvalidString},
		{`"\ud800\u0041"`, ErrInvalidString},
		{"\"\xff\"", ErrInvalidString},
		{`[1,]`, ErrSyntax},
		{`{"a" 1}`, ErrSyntax},
		{`01`, ErrNumber},
		{`1e400`, ErrNumber},
		{`NaN`, ErrSyntax},
		{`"a` + "\n" + `"`, ErrSyntax},
		{`"\x"`, ErrSyntax},
		{`[1] [2]`, ErrSyntax},
		{``, ErrSyntax},
		{`tru`, ErrSyntax},
		{strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2), ErrTooDeep},
	} {
		if _, err := Transform([]byte(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("Transform(%.30q): err = %v, want %v", tc.in, err, tc.want)
		}
	}
}

// Differential check: for values encoding/json can represent, Parse agrees
// with encoding/json, and canonical output re-parses to an equal value.
func FuzzTransform(f *testing.F) {
	for _, tc := range rfcTransforms {
		f.Add([]byte(tc.in))
	}
	f.Add([]byte(`{"a":[1,2,{"b":null}],"c":"\ud83d\ude00"}`))
	f.Add([]byte(`-0.0000033333333333333333`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Transform(data)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON output %q", out)
		}
		again, err := Transform(out)
		if err != nil {
			t.Fatalf("canonical output rejected: %v (%q)", err, out)
		}
		if string(again) != string(out) {
			t.Fatalf("not idempotent: %q -> %q", out, again)
		}
	})
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

func BenchmarkMarshal(b *testing.B) {
	v, err := Parse([]byte(rfcTransforms[0].in))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

// formatNumber is AppendNumber into a string of its own.
func formatNumber(f float64) (string, error) {
	b, err := AppendNumber(nil, f)
	return string(b), err
}
