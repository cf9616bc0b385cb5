package strictjson

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// TestAppendJCSRFCExamples writes RFC 8785's examples, and checks that
// the canonical form is a fixed point.
func TestAppendJCSRFCExamples(t *testing.T) {
	for _, tc := range rfcTransforms {
		v, err := Parse(tc.in, Options{})
		require.NoError(t, err, tc.name)
		got := string(v.AppendJCS(nil))
		assert.Equal(t, tc.want, got, tc.name)
		again, err := Parse(got, Options{})
		require.NoError(t, err, tc.name)
		assert.Equal(t, got, string(again.AppendJCS(nil)), "%s: not idempotent", tc.name)
	}
}

// RFC 8785 §3.2.3: member names sorted by UTF-16 code units, which differs
// from code point order for characters above U+FFFF.
func TestAppendJCSSorting(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	v, err := Parse(in, Options{})
	require.NoError(t, err)
	w, err := Parse(string(v.AppendJCS(nil)), Options{})
	require.NoError(t, err)
	var order []string
	for k := range w.Members() {
		order = append(order, k)
	}
	assert.Equal(t, []string{"\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001F600", "\ufb33"}, order)
}

// ECMAScript number formatting (RFC 8785 appendix B samples), as AppendJCS
// writes numbers.
func TestAppendJCSNumbers(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1.5, "-1.5"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{1e-7, "1e-7"}, {0.000001, "0.000001"}, {333333333.3333333, "333333333.3333333"},
		{5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"}, {9007199254740992, "9007199254740992"},
		{295147905179352830000, "295147905179352830000"}, {-1e-7, "-1e-7"}, {123e-20, "1.23e-18"},
	} {
		v, err := Parse(strconv.FormatFloat(c.f, 'g', -1, 64), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(v.AppendJCS(nil)); got != c.want {
			t.Errorf("%v: got %s, want %s", c.f, got, c.want)
		}
	}
}

// FuzzAppendJCS: the canonical form of any document Parse accepts is JSON
// of the same value (encoding/json's reading, numbers as doubles) and a
// fixed point.
func FuzzAppendJCS(f *testing.F) {
	for _, tc := range rfcTransforms {
		f.Add(tc.in)
	}
	f.Add(`{"a":[1,2,{"b":null}],"c":"\ud83d\ude00"}`)
	f.Add(`-0.0000033333333333333333`)
	f.Fuzz(func(t *testing.T, data string) {
		v, err := Parse(data, Options{MaxBytes: 1 << 20})
		if err != nil {
			return
		}
		out := v.AppendJCS(nil)
		var want, got any
		require.NoError(t, json.Unmarshal([]byte(data), &want))
		require.NoError(t, json.Unmarshal(out, &got), "%q", out)
		require.Equal(t, want, got)
		again, err := Parse(string(out), Options{MaxBytes: 1 << 21})
		require.NoError(t, err)
		require.Equal(t, string(out), string(again.AppendJCS(nil)))
	})
}

func BenchmarkAppendJCS(b *testing.B) {
	v, err := Parse(rfcTransforms[0].in, Options{})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = v.AppendJCS(buf[:0])
	}
}
