package jsonld

import (
	"context"
	"testing"
)

// TestSetObjectInList: a set object is replaced by its expanded value,
// which is an array only if the value was one. So in a list, {"@set": "x"}
// is the item "x" (JSON-LD 1.1 expansion, jsonld.js, json-gold), while
// {"@set": ["a", "b"]} is a list in the list. Found by FuzzCanonicalize.
func TestSetObjectInList(t *testing.T) {
	p, err := NewProcessor(Config{})
	if err != nil {
		t.Fatal(err)
	}
	const ctx = `"@context": {"@vocab": "http://ex.org/", "l": {"@id": "http://ex.org/l", "@container": "@list"}}`
	for _, c := range []struct{ set, plain string }{
		{`{` + ctx + `, "l": [{"@set": "x"}]}`, `{` + ctx + `, "l": ["x"]}`},
		{`{` + ctx + `, "l": [{"@set": {"@value": "x"}}, "y"]}`, `{` + ctx + `, "l": ["x", "y"]}`},
		{`{` + ctx + `, "l": [{"@set": ["a", "b"]}]}`, `{` + ctx + `, "l": [["a", "b"]]}`},
		{`{` + ctx + `, "l": [{"@set": ["a"]}]}`, `{` + ctx + `, "l": [["a"]]}`},
	} {
		got, err := p.Canonicalize(context.Background(), []byte(c.set))
		if err != nil {
			t.Fatalf("%s: %v", c.set, err)
		}
		want, err := p.Canonicalize(context.Background(), []byte(c.plain))
		if err != nil {
			t.Fatalf("%s: %v", c.plain, err)
		}
		if string(got) != string(want) {
			t.Errorf("%s\n got: %s\nwant (as %s): %s", c.set, got, c.plain, want)
		}
	}
}
