package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/rdfc"
)

// fuzzSeeds are small documents exercising the features of the expansion
// algorithm, with inline contexts and the embedded ones.
var fuzzSeeds = []string{
	`{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://ex.org/s", "p": "v"}`,
	`{"@context": ` + exCtx + `, "@id": "urn:a", "name": "x", "knows": {"name": "y"}}`,
	`{"@context": {"@vocab": "http://ex.org/", "l": {"@container": "@list"}}, "@id": "urn:a", "l": [1, 2.5, true, [3]]}`,
	`{"@context": {"@vocab": "http://ex.org/", "j": {"@type": "@json"}}, "@id": "urn:a", "j": {"b": [1, {"a": null}], "a": "\u00e9"}}`,
	`{"@context": {"@vocab": "http://ex.org/", "m": {"@container": "@language"}}, "@id": "urn:a", "m": {"en": "x", "fr": ["y", "z"]}}`,
	`{"@context": {"@vocab": "http://ex.org/", "i": {"@container": "@index"}}, "@id": "urn:a", "i": {"k": {"p": 1}}}`,
	`{"@context": {"@vocab": "http://ex.org/", "t": {"@container": "@type"}}, "@id": "urn:a", "t": {"http://ex.org/T": {"@id": "urn:b", "p": 1}}}`,
	`{"@context": {"@vocab": "http://ex.org/", "g": {"@container": ["@graph", "@id"]}}, "@id": "urn:a", "g": {"urn:g": {"p": 1}}}`,
	`{"@context": {"@vocab": "http://ex.org/", "r": {"@reverse": "http://ex.org/rel"}}, "@id": "urn:a", "r": {"@id": "urn:b"}}`,
	`{"@context": {"@vocab": "http://ex.org/", "n": "@nest"}, "@id": "urn:a", "n": {"p": 1}}`,
	`{"@context": {"@vocab": "http://ex.org/", "T": {"@id": "http://ex.org/T", "@context": {"q": "http://ex.org/q"}}}, "@id": "urn:a", "@type": "T", "q": 1}`,
	`{"@context": {"@vocab": "http://ex.org/"}, "@id": "urn:a", "@included": [{"@id": "urn:b", "p": 1}], "p": {"@value": "x", "@language": "ar", "@direction": "rtl"}}`,
	`{"@context": {"@vocab": "http://ex.org/", "@protected": true, "p": "http://ex.org/p"}, "@id": "urn:a", "p": {"@context": {"p": "http://ex.org/other"}, "p": 1}}`,
	`{"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:a", "type": "VerifiableCredential", "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2", "name": "x"}, "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"}}`,
	`{"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2020/v1"], "id": "urn:a", "type": "VerifiableCredential", "issuer": "did:example:1", "issuanceDate": "2020-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:2"}}`,
	`{"@context": {"@vocab": "http://ex.org/"}, "@graph": [{"@id": "_:a", "p": {"@id": "_:b"}}, {"@id": "_:b", "p": {"@id": "_:a"}}]}`,
	`[{"@context": {"@vocab": "http://ex.org/"}, "@id": "urn:a", "p": 1e21}, {"@id": "urn:b", "http://ex.org/q": -0.0}]`,
	`{"@context": null, "@id": "urn:a"}`,
	`{"@context": {"@base": "http://ex.org/base/", "@vocab": "http://ex.org/"}, "@id": "../x", "p": {"@id": "y"}}`,
	`{"@context": {"a": {"@id": "http://ex.org/a", "@type": "@vocab"}, "@vocab": "http://ex.org/"}, "@id": "urn:a", "a": "b"}`,
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join(repoRoot(f), "..", "shared", "bench", "ob3-sample.json")); err == nil {
		f.Add(b)
	}
}

// FuzzExpand feeds arbitrary bytes to Canonicalize with small limits: it
// must never panic or hang, and every error must wrap a sentinel.
func FuzzExpand(f *testing.F) {
	addSeeds(f)
	p, err := NewProcessor(Config{
		MaxDocumentBytes:        64 << 10,
		MaxDepth:                32,
		MaxContextSteps:         64,
		MaxQuads:                2000,
		MaxCanonicalizationWork: 5000,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := p.Canonicalize(ctx, doc)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if _, err := rdfc.ParseNQuads(out); err != nil {
			t.Fatalf("output is not N-Quads: %v\n%s", err, out)
		}
	})
}

// FuzzCanonicalize builds JSON-LD documents around the embedded contexts
// from the fuzzer's bytes (keys, keywords, values and contexts drawn from
// small vocabularies), so that it explores JSON-LD rather than JSON syntax.
// For accepted documents: the decoded-value entry point agrees, the output
// is a fixed point of canonicalization, and json-gold (when it accepts too,
// and outside its known divergences) gives the same canonical N-Quads.
func FuzzCanonicalize(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 10, 20, 30, 40, 50, 60, 70},
		{2, 200, 3, 100, 5, 17, 33, 2, 9, 1, 0, 4},
		{3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4},
		{5, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 255, 128, 64},
	} {
		f.Add(seed)
	}
	p, err := NewProcessor(Config{MaxDepth: 32, MaxQuads: 5000, MaxCanonicalizationWork: 5000})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, program []byte) {
		g := &docGen{b: program}
		docVal := g.document()
		doc, err := json.Marshal(docVal)
		if err != nil {
			t.Skip()
		}
		ctx := context.Background()
		out, err := p.Canonicalize(ctx, doc)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error without a sentinel: %v\n%s", err, doc)
			}
			return
		}
		v, _ := decodeJSON(doc)
		again, err := p.CanonicalizeValue(ctx, v)
		if err != nil || string(again) != string(out) {
			t.Fatalf("CanonicalizeValue differs (err %v)\n%s", err, doc)
		}
		q, err := rdfc.ParseNQuads(out)
		if err != nil {
			t.Fatalf("output is not N-Quads: %v\n%s", err, out)
		}
		re, err := rdfc.CanonicalNQuads(ctx, q, &rdfc.Options{MaxWork: 5000})
		if err != nil || string(re) != string(out) {
			t.Fatalf("canonical output is not a fixed point (err %v)", err)
		}
		if g.goldUnsafe {
			return // features where json-gold is known to differ
		}
		gold, gerr := safeGold(t, doc)
		if gerr == nil && gold != string(out) {
			t.Fatalf("json-gold differs: %s\n%s", firstDiff(string(out), gold), doc)
		}
	})
}

// safeGold runs json-gold's Normalize, turning its panics into errors.
func safeGold(t *testing.T, doc []byte) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("json-gold panicked")
		}
	}()
	return goldNormalize(t, Embedded(), doc)
}

// docGen turns fuzzer bytes into a JSON-LD document.
type docGen struct {
	b          []byte
	i          int
	goldUnsafe bool
}

func (g *docGen) next() int {
	if g.i >= len(g.b) {
		return 0
	}
	c := int(g.b[g.i])
	g.i++
	return c
}

var (
	genContexts = []any{
		"https://www.w3.org/ns/credentials/v2",
		[]any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		[]any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2020/v1"},
		map[string]any{"@vocab": "http://ex.org/", "l": map[string]any{"@id": "http://ex.org/l", "@container": "@list"},
			"g": map[string]any{"@id": "http://ex.org/g", "@container": "@graph"}, "j": map[string]any{"@id": "http://ex.org/j", "@type": "@json"},
			"m": map[string]any{"@id": "http://ex.org/m", "@container": "@language"}, "r": map[string]any{"@reverse": "http://ex.org/r"},
			"T": map[string]any{"@id": "http://ex.org/T", "@context": map[string]any{"s": "http://ex.org/scoped"}}},
		[]any{"https://www.w3.org/ns/credentials/v2", map[string]any{"@vocab": "http://ex.org/v/"}},
		nil,
	}
	genKeys = []string{"id", "type", "name", "description", "credentialSubject", "issuer", "validFrom", "proof",
		"achievement", "criteria", "image", "@id", "@type", "@value", "@language", "@list", "@set", "@graph", "@included",
		"@reverse", "@index", "@direction", "foo", "ex:bar", "http://ex.org/p", "l", "g", "j", "m", "r", "s", "@context",
		"verifiableCredential", "proofValue", "cryptosuite", "narrative", "alignment", "result", "_:b", "@foo", "@vocab"}
	genStrings = []string{"did:example:1", "urn:x", "relative", "http://ex.org/a b", "en", "ltr", "VerifiableCredential",
		"Achievement", "OpenBadgeCredential", "DataIntegrityProof", "@json", "_:b0", "", "http://ex.org/T", "T", "Profile",
		"2020-01-01T00:00:00Z", "x\ny\"z"}
	genNumbers = []float64{0, 1, -2, 1.5, 1e21, 3e-3, 12345678}
)

func (g *docGen) document() any {
	m := map[string]any{"@context": genContexts[g.next()%len(genContexts)]}
	g.members(m, 0)
	return m
}

func (g *docGen) members(m map[string]any, depth int) {
	n := g.next() % 6
	for k := 0; k < n; k++ {
		key := genKeys[g.next()%len(genKeys)]
		switch key {
		case "@direction", "j", "@json":
			// json-gold ignores @direction, and fails on JSON literals
			// that are not objects (it puts its error text in the literal).
			g.goldUnsafe = true
		}
		m[key] = g.value(depth + 1)
		if (key == "@type" || key == "type") && hasBlankLabel(m[key]) {
			// json-gold does not relabel a blank node identifier used as a
			// type together with the same label used as an @id; jsonld.js
			// and we do (one node, rdf:type itself).
			g.goldUnsafe = true
		}
		if _, ok := m[key].([]any); ok && key == "@set" {
			// An array in a set object in a list is a list in the list
			// (JSON-LD 1.1, jsonld.js, us); json-gold drops or flattens it.
			g.goldUnsafe = true
		}
		if a, ok := m[key].([]any); ok && len(a) == 0 && (key == "@type" || key == "type") {
			// "@type": [] adds no type (jsonld.js, us), so a set object
			// holding it is still a set object; json-gold makes it a node.
			g.goldUnsafe = true
		}
		if a, ok := m[key].([]any); ok && len(a) == 0 && key == "g" {
			// An empty @graph-container value expands to nothing (jsonld.js,
			// us); json-gold keeps the property, so a top-level object
			// with @graph becomes a named graph.
			g.goldUnsafe = true
		}
		if strings.HasPrefix(key, "@") && m[key] == nil {
			// jsonld.js expands a keyword whose value is null ("@language",
			// "@list", …) as if it were absent, and so do we; json-gold
			// rejects some, and under a top-level @set drops the whole node.
			g.goldUnsafe = true
		}
	}
	_, a := m["@type"]
	_, b := m["type"]
	_, c := m["@id"]
	_, d := m["id"]
	if a && b || c && d {
		// json-gold lets a later alias overwrite the keyword's values
		// (e.g. "@type": T with "type": [] loses T); jsonld.js merges them.
		g.goldUnsafe = true
	}
}

// hasBlankLabel reports whether v is, or is an array holding, a string
// that starts with "_:".
func hasBlankLabel(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.HasPrefix(v, "_:")
	case []any:
		for _, e := range v {
			if hasBlankLabel(e) {
				return true
			}
		}
	}
	return false
}

func (g *docGen) value(depth int) any {
	c := g.next()
	if depth > 4 {
		c %= 4
	}
	switch c % 8 {
	case 0, 1:
		s := genStrings[g.next()%len(genStrings)]
		if s == "@json" {
			// A JSON literal, made through "@type": "@json" in a value
			// object: json-gold puts its own error text in the literal.
			g.goldUnsafe = true
		}
		return s
	case 2:
		x := genNumbers[g.next()%len(genNumbers)]
		if x != float64(int64(x)) || x >= 1e21 {
			g.goldUnsafe = true // json-gold formats some doubles differently
		}
		return x
	case 3:
		switch g.next() % 3 {
		case 0:
			return true
		case 1:
			return false
		}
		return nil
	case 4, 5:
		m := map[string]any{}
		g.members(m, depth)
		return m
	default:
		n := g.next() % 4
		a := make([]any, 0, n)
		for k := 0; k < n; k++ {
			e := g.value(depth + 1)
			if _, nested := e.([]any); nested {
				// Arrays in arrays are lists of lists in a @list (JSON-LD
				// 1.1, jsonld.js, the W3C suite); json-gold drops them.
				g.goldUnsafe = true
			}
			a = append(a, e)
		}
		return a
	}
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrInvalidJSON, ErrDuplicateKey, ErrLimitExceeded, ErrUndefinedTerm, ErrRelativeType,
		ErrRelativeID, ErrRelativeVocab, ErrInvalidLanguage, ErrDroppedValue, ErrReservedTerm, ErrInvalidIRI,
		ErrBlankNodePredicate, ErrProtectedTermRedefinition, ErrInvalidContext, ErrLoadingContext, ErrInvalidSyntax,
		ErrCanonicalizationLimit, ErrLossyNumber, context.DeadlineExceeded} {
		if errorsIs(err, s) {
			return true
		}
	}
	return false
}
