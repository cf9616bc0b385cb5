package jsonld

import (
	"strconv"

	"github.com/microcred/openbadges/internal/strictjson"

	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/microcred/openbadges/internal/jcs"
)

// RFC 8785 section 3.2.3: members sorted by UTF-16 code units (the emoji's
// surrogates sort before U+FB33).
func TestJCSOrder(t *testing.T) {
	src := `{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`
	v, err := parseJSON(src, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := string(appendJCS(nil, &v))
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// ECMAScript number formatting (RFC 8785 appendix B samples), as appendJCS
// writes numbers.
func TestESNumber(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1.5, "-1.5"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{1e-7, "1e-7"}, {0.000001, "0.000001"}, {333333333.3333333, "333333333.3333333"},
		{5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"}, {9007199254740992, "9007199254740992"},
		{295147905179352830000, "295147905179352830000"}, {-1e-7, "-1e-7"}, {123e-20, "1.23e-18"},
	} {
		v, err := strictjson.Parse(strconv.FormatFloat(c.f, 'g', -1, 64), strictjson.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendJCS(nil, &v)); got != c.want {
			t.Errorf("%v: got %s, want %s", c.f, got, c.want)
		}
	}
}

// xsd:double canonical forms as JSON-LD toRDF produces them.
func TestXSDDouble(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1.1, "1.1E0"}, {0.53, "5.3E-1"}, {1e21, "1.0E21"}, {-2.5, "-2.5E0"}, {5, "5.0E0"}, {123456.789, "1.23456789E5"},
		{1e-7, "1.0E-7"}, {0.1 + 0.2, "3.0E-1"},
	} {
		if got := xsdDouble(c.f); got != c.want {
			t.Errorf("%v: got %s, want %s", c.f, got, c.want)
		}
	}
}

// TestJCSMatchesInternal checks that appendJCS over the parse tree writes
// what internal/jcs writes for the same JSON text, on every fuzz seed and
// on members whose order differs between bytes and UTF-16.
func TestJCSMatchesInternal(t *testing.T) {
	docs := append([]string{
		`{"\ud83d\ude00":1,"\ufb33":2,"a":[1.5,-0,1e21,1e-7,"\u0001\"\\"],"b":{"z":null,"y":true}}`,
	}, fuzzSeeds...)
	for _, doc := range docs {
		v, err := parseJSON(doc, 100)
		if err != nil {
			continue
		}
		// parseJSON accepted doc, so encoding/json reads it alike.
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			continue
		}
		want, err := jcs.Marshal(x)
		if err != nil {
			continue
		}
		if got := appendJCS(nil, &v); string(got) != string(want) {
			t.Errorf("%s\n got %s\nwant %s", doc, got, want)
		}
	}
}
