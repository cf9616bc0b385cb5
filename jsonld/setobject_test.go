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
	p := embeddedProcessor(t)
	const ctx = `"@context": {"@vocab": "http://ex.org/", "l": {"@id": "http://ex.org/l", "@container": "@list"}}`
	for _, c := range []struct{ set, plain string }{
		{`{` + ctx + `, "l": [{"@set": "x"}]}`, `{` + ctx + `, "l": ["x"]}`},
		{`{` + ctx + `, "l": [{"@set": {"@value": "x"}}, "y"]}`, `{` + ctx + `, "l": ["x", "y"]}`},
		{`{` + ctx + `, "l": [{"@set": ["a", "b"]}]}`, `{` + ctx + `, "l": [["a", "b"]]}`},
		{`{` + ctx + `, "l": [{"@set": ["a"]}]}`, `{` + ctx + `, "l": [["a"]]}`},
		// "@type": [] adds nothing, so this is still a set object
		// (jsonld.js; json-gold makes a node of it).
		{`{` + ctx + `, "p": {"@set": "x", "@type": []}}`, `{` + ctx + `, "p": "x"}`},
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

// TestBlankNodeTypeSameAsID: a blank node identifier used both as a node's
// @id and as its type is one node. The expected output is jsonld.js's
// (canonize, URDNA2015, safe mode); json-gold relabels the two apart.
// Found by FuzzCanonicalize.
func TestBlankNodeTypeSameAsID(t *testing.T) {
	p := embeddedProcessor(t)
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":"http://ex.org/v/"}],"l":{"@id":"_:b0","type":"_:b0"}}`
	want := "_:c14n0 <http://ex.org/v/l> _:c14n1 .\n" +
		"_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> _:c14n1 .\n"
	got, err := p.Canonicalize(context.Background(), []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got\n%swant\n%s", got, want)
	}
}

// TestTopLevelGraphWithEmptyProperty pins jsonld.js's canonical output: a
// top-level @graph beside a property whose value is an empty array is a
// named graph, unless the property is a @graph container (whose empty value
// expands to nothing, leaving @graph alone: the default graph). json-gold
// makes both named graphs. Found by FuzzCanonicalize.
func TestTopLevelGraphWithEmptyProperty(t *testing.T) {
	p := embeddedProcessor(t)
	for doc, want := range map[string]string{
		`{"@context":{"@vocab":"http://ex.org/","g":{"@container":"@graph","@id":"http://ex.org/g"}},"@graph":{"id":"did:example:1"},"g":[]}`: "_:c14n0 <http://ex.org/id> \"did:example:1\" .\n",
		`{"@context":{"@vocab":"http://ex.org/"},"@graph":{"id":"did:example:1"},"p":[]}`:                                                     "_:c14n0 <http://ex.org/id> \"did:example:1\" _:c14n1 .\n",
	} {
		got, err := p.Canonicalize(context.Background(), []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s\n got %q\nwant %q", doc, got, want)
		}
	}
}
