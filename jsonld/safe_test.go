package jsonld

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/microcred/openbadges/rdfc"
)

// A small inline context without @vocab, so undefined terms are undefined.
const exCtx = `{"name": "http://schema.org/name", "knows": {"@id": "http://schema.org/knows", "@type": "@id"},
 "g": {"@id": "http://ex.org/g", "@container": "@graph"}}`

func TestSafeModeRejections(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	tests := []struct {
		name string
		doc  string
		want error
		path string // substring of the error text (the JSON path)
		term string // substring of the error text (the term)
	}{
		{"undefined term", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": "x", "foo": 1}`,
			ErrUndefinedTerm, `at $.foo`, `"foo"`},
		{"undefined term nested", `{"@context": ` + exCtx + `, "@id": "urn:a", "knows": {"name": "x", "colour": "red"}}`,
			ErrUndefinedTerm, `at $.knows.colour`, `"colour"`},
		{"undefined term in v1 credential", `{"@context": ["https://www.w3.org/2018/credentials/v1"], "id": "urn:a",
		  "type": ["VerifiableCredential"], "issuer": "did:example:1", "issuanceDate": "2020-01-01T00:00:00Z",
		  "credentialSubject": {"id": "did:example:2", "nickname": "x"}}`, ErrUndefinedTerm, `$.credentialSubject.nickname`, `"nickname"`},
		{"property mapped to null", `{"@context": [` + exCtx + `, {"name": null}], "@id": "urn:a", "name": "x", "knows": "urn:b"}`,
			ErrUndefinedTerm, `$.name`, `"name"`},
		{"relative @type", `{"@context": ` + exCtx + `, "@id": "urn:a", "@type": "Foo", "name": "x"}`,
			ErrRelativeType, `at $["@type"]`, `"Foo"`},
		{"relative @type in array", `{"@context": ` + exCtx + `, "@id": "urn:a", "@type": ["http://ex.org/T", "Bar"], "name": "x"}`,
			ErrRelativeType, `$["@type"][1]`, `"Bar"`},
		{"relative @type of a value", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": {"@value": "x", "@type": "Date"}}`,
			ErrRelativeType, `$.name`, `"Date"`},
		{"relative @id", `{"@context": ` + exCtx + `, "@id": "foo/bar", "name": "x"}`,
			ErrRelativeID, `$["@id"]`, `"foo/bar"`},
		{"relative @id coerced", `{"@context": ` + exCtx + `, "@id": "urn:a", "knows": "bob"}`,
			ErrRelativeID, `$.knows`, `"bob"`},
		{"@id with a space", `{"@context": ` + exCtx + `, "@id": "http://ex.org/a b", "name": "x"}`,
			ErrRelativeID, `$["@id"]`, `a b`},
		{"@id with a forbidden character", `{"@context": ` + exCtx + `, "@id": "http://ex.org/a<b>", "name": "x"}`,
			ErrInvalidIRI, `$["@id"]`, `a<b>`},
		{"reserved @id value", `{"@context": ` + exCtx + `, "@id": "@foo", "name": "x"}`,
			ErrReservedTerm, `$["@id"]`, `"@foo"`},
		{"invalid @language", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": {"@value": "x", "@language": "en_US!"}}`,
			ErrInvalidLanguage, `$.name["@language"]`, `"en_US!"`},
		{"invalid default @language", `{"@context": {"@language": "not a tag", "name": "http://schema.org/name"}, "@id": "urn:a", "name": "x"}`,
			ErrInvalidLanguage, `$["@context"]`, `"not a tag"`},
		{"invalid language map key", `{"@context": {"label": {"@id": "http://ex.org/label", "@container": "@language"}}, "@id": "urn:a", "label": {"e n": "x"}}`,
			ErrInvalidLanguage, `$.label`, `"e n"`},
		{"relative @vocab", `{"@context": {"@vocab": "terms/"}, "@id": "urn:a", "name": "x"}`,
			ErrRelativeVocab, `$["@context"]`, `"terms/"`},
		{"reserved term", `{"@context": {"@foo": "http://ex.org/foo", "name": "http://schema.org/name"}, "@id": "urn:a", "name": "x"}`,
			ErrReservedTerm, `$["@context"]`, `"@foo"`},
		{"protected term redefinition", `{"@context": ["https://www.w3.org/ns/credentials/v2", {"name": "http://example.org/myname"}],
		  "type": ["VerifiableCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}`,
			ErrProtectedTermRedefinition, `$["@context"]`, `"name"`},
		{"protected term redefinition in a scoped context", `{"@context": ["https://www.w3.org/ns/credentials/v2"],
		  "type": ["VerifiableCredential"], "issuer": {"@context": {"id": "http://example.org/notid"}, "id": "did:example:1"}, "credentialSubject": {"id": "did:example:2"}}`,
			ErrProtectedTermRedefinition, `$.issuer["@context"]`, `"id"`},
		{"free-floating scalar", `{"@context": ` + exCtx + `, "@graph": ["x"]}`,
			ErrDroppedValue, `$["@graph"][0]`, ``},
		{"object with only @id at top level", `{"@context": ` + exCtx + `, "@id": "urn:a"}`,
			ErrDroppedValue, `$`, ``},
		{"empty document", `{"@context": ` + exCtx + `}`, ErrDroppedValue, `$`, ``},
		{"free-floating value", `{"@context": ` + exCtx + `, "@graph": [{"@value": "x"}]}`,
			ErrDroppedValue, `$["@graph"][0]`, ``},
		{"only @id in a graph container", `{"@context": ` + exCtx + `, "@id": "urn:a", "g": {"@id": "urn:b"}}`,
			ErrDroppedValue, `$.g`, `"g"`},
		{"null @value", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": {"@value": null}}`,
			ErrDroppedValue, `$.name`, ``},
		{"object with only @language", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": {"@language": "en"}}`,
			ErrDroppedValue, `$.name`, ``},
		{"blank node predicate", `{"@context": ` + exCtx + `, "@id": "urn:a", "_:p": "x"}`,
			ErrBlankNodePredicate, `$["_:p"]`, `"_:p"`},
		{"context not allowed", `{"@context": "https://evil.example/ctx.jsonld", "@id": "urn:a", "name": "x"}`,
			ErrContextNotAllowed, `$["@context"]`, `https://evil.example/ctx.jsonld`},
		{"relative context URL", `{"@context": "ctx.jsonld", "@id": "urn:a"}`,
			ErrLoadingContext, `$["@context"]`, `ctx.jsonld`},
		{"duplicate key", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": "x", "name": "y"}`,
			ErrDuplicateKey, `byte`, `"name"`},
		{"invalid JSON", `{"@id": "urn:a",}`, ErrInvalidJSON, `byte`, ``},
		{"lone surrogate", `{"@id": "urn:\ud800"}`, ErrInvalidJSON, `byte`, ``},
		{"excessive depth", `{"@context": ` + exCtx + `, "@id": "urn:a", "name": ` + deep + `}`,
			ErrLimitExceeded, `byte`, ``},
		{"colliding keywords", `{"@context": {"id": "@id"}, "@id": "urn:a", "id": "urn:b"}`,
			ErrInvalidSyntax, `$`, `colliding`},
		{"invalid @id value", `{"@context": ` + exCtx + `, "@id": 5, "name": "x"}`,
			ErrInvalidSyntax, `$["@id"]`, ``},
		{"invalid term definition", `{"@context": {"name": 5}, "@id": "urn:a"}`,
			ErrInvalidContext, `$["@context"]`, `"name"`},
		{"cyclic IRI mapping", `{"@context": {"a": "b:x", "b": "a:y"}, "@id": "urn:a", "a": 1}`,
			ErrInvalidContext, `$["@context"]`, ``},
	}
	p := embeddedProcessor(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Canonicalize(context.Background(), []byte(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.term) {
				t.Errorf("error %q should name %q and %q", msg, tc.path, tc.term)
			}
			if !strings.HasPrefix(msg, "jsonld: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			// The same through the decoded-value entry point (when it is JSON
			// that encoding/json accepts).
			if v, derr := decodeLoose(tc.doc); derr == nil {
				if _, err := p.CanonicalizeValue(context.Background(), v); !errors.Is(err, tc.want) && tc.want != ErrLimitExceeded {
					t.Errorf("CanonicalizeValue: got %v, want %v", err, tc.want)
				}
			}
		})
	}
}

func decodeLoose(s string) (any, error) {
	if strings.Contains(s, `\ud800`) || strings.Contains(s, `"name": "x", "name"`) {
		return nil, errors.New("skip")
	}
	v, err := decodeJSON([]byte(s))
	return v, err
}

func TestTermErrorFields(t *testing.T) {
	p, _ := NewProcessor(Config{})
	_, err := p.Canonicalize(context.Background(), []byte(`{"@context": `+exCtx+`, "@id": "urn:a", "knows": {"colour": "red", "name": "x"}}`))
	var te *TermError
	if !errors.As(err, &te) {
		t.Fatalf("want *TermError, got %T %v", err, err)
	}
	if te.Path != "$.knows.colour" || te.Term != "colour" || te.Err != ErrUndefinedTerm {
		t.Errorf("got %+v", te)
	}
}

func TestContextNotAllowedWrapsBoth(t *testing.T) {
	p, _ := NewProcessor(Config{})
	_, err := p.Canonicalize(context.Background(), []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/x"], "id": "urn:a"}`))
	if !errors.Is(err, ErrContextNotAllowed) || !errors.Is(err, ErrLoadingContext) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "https://evil.example/x") {
		t.Errorf("error %q does not name the URL", err)
	}
}

func TestDocumentSizeLimit(t *testing.T) {
	p, _ := NewProcessor(Config{MaxDocumentBytes: 100})
	doc := `{"@context": ` + exCtx + `, "@id": "urn:a", "name": "` + strings.Repeat("x", 200) + `"}`
	if _, err := p.Canonicalize(context.Background(), []byte(doc)); !errors.Is(err, ErrLimitExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestQuadLimit(t *testing.T) {
	p, _ := NewProcessor(Config{MaxQuads: 3})
	doc := `{"@context": ` + exCtx + `, "@id": "urn:a", "name": ["a", "b", "c", "d"]}`
	if _, err := p.Canonicalize(context.Background(), []byte(doc)); !errors.Is(err, ErrLimitExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestContextStepLimit(t *testing.T) {
	// Each nested object applies a property-scoped context: more steps than
	// allowed.
	p, _ := NewProcessor(Config{MaxContextSteps: 3})
	doc := `{"@context": {"@vocab": "http://ex.org/", "p": {"@context": {"q": "http://ex.org/q"}}},
	 "@id": "urn:a", "p": {"@context": {"r": "http://ex.org/r"}, "r": {"@context": {"s": "http://ex.org/s"}, "s": {"@context": {"t": "http://ex.org/t"}, "t": "x"}}}}`
	if _, err := p.Canonicalize(context.Background(), []byte(doc)); !errors.Is(err, ErrLimitExceeded) {
		t.Fatalf("got %v", err)
	}
}

// TestPoisonGraph: a clique of interchangeable blank nodes makes RDFC-1.0
// give up; the error must match both our sentinel and rdfc's.
func TestPoisonGraph(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"@context": {"p": {"@id": "http://ex.org/p", "@type": "@id"}}, "@graph": [`)
	const n = 10
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"@id": "_:n` + itoa(i) + `", "p": [`)
		first := true
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			if !first {
				b.WriteString(",")
			}
			first = false
			b.WriteString(`"_:n` + itoa(j) + `"`)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	p, _ := NewProcessor(Config{MaxCanonicalizationWork: 1000})
	_, err := p.Canonicalize(context.Background(), []byte(b.String()))
	if !errors.Is(err, ErrCanonicalizationLimit) || !errors.Is(err, rdfc.ErrCanonicalizationLimit) {
		t.Fatalf("got %v", err)
	}
}

func TestNegativeConfig(t *testing.T) {
	if _, err := NewProcessor(Config{MaxDepth: -1}); err == nil {
		t.Fatal("negative limit accepted")
	}
}

// TestValueIsNotModified: CanonicalizeValue must leave its input alone.
func TestValueIsNotModified(t *testing.T) {
	doc := benchSample(t)
	v := decodeNumber(t, doc)
	before := mustMarshal(t, v)
	p, _ := NewProcessor(Config{})
	if _, err := p.CanonicalizeValue(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	if after := mustMarshal(t, v); after != before {
		t.Fatal("input modified")
	}
}

// TestLargeNode exercises a node with many properties (the property index)
// and a large JSON literal; it must simply complete.
func TestLargeNode(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b strings.Builder
	b.WriteString(`{"@context": {"@vocab": "http://ex.org/", "j": {"@type": "@json"}}, "@id": "urn:a"`)
	for i := 0; i < 20000; i++ {
		b.WriteString(`, "p` + itoa(i) + `": ` + itoa(i))
	}
	b.WriteString(`, "j": {`)
	for i := 0; i < 20000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"ké` + itoa(i) + `": ` + itoa(i))
	}
	b.WriteString(`}}`)
	p, _ := NewProcessor(Config{})
	out, err := p.Canonicalize(context.Background(), []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "\n"); n != 20001 {
		t.Fatalf("%d statements", n)
	}
}

func TestDuplicateKeyInLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"@context": {"@vocab": "http://ex.org/"}, "@id": "urn:a"`)
	for i := 100; i > 0; i-- {
		b.WriteString(`, "p` + itoa(i) + `": 1`)
	}
	b.WriteString(`, "p50": 2}`)
	p, _ := NewProcessor(Config{})
	_, err := p.Canonicalize(context.Background(), []byte(b.String()))
	if !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), `"p50"`) {
		t.Fatalf("got %v", err)
	}
}

// A scoped context naming a context that is not allowed reports the loader's
// error (with the URL), not just "invalid scoped context".
func TestScopedContextNotAllowed(t *testing.T) {
	p, _ := NewProcessor(Config{})
	doc := `{"@context": {"@vocab": "http://ex.org/", "T": {"@id": "http://ex.org/T", "@context": "https://evil.example/scoped"}}, "@id": "urn:a", "@type": "T"}`
	_, err := p.Canonicalize(context.Background(), []byte(doc))
	if !errors.Is(err, ErrContextNotAllowed) || !strings.Contains(err.Error(), "https://evil.example/scoped") {
		t.Fatalf("got %v", err)
	}
}

// Nullifying a context that has protected terms is an error.
func TestProtectedNullification(t *testing.T) {
	p, _ := NewProcessor(Config{})
	doc := `{"@context": ["https://www.w3.org/ns/credentials/v2", null], "@id": "urn:a", "http://ex.org/p": 1}`
	_, err := p.Canonicalize(context.Background(), []byte(doc))
	if !errors.Is(err, ErrProtectedTermRedefinition) {
		t.Fatalf("got %v", err)
	}
}

// Large inline contexts are processed but not cached, and neither are the
// compositions derived from them.
func TestLargeInlineContextNotCached(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"@context": {"@vocab": "http://ex.org/", "T": {"@id": "http://ex.org/T", "@context": {"q": "http://ex.org/q"}}`)
	for i := 0; i < 1000; i++ {
		b.WriteString(`, "term` + itoa(i) + `": "http://example.org/vocabulary/term` + itoa(i) + `"`)
	}
	b.WriteString(`}, "@id": "urn:a", "@type": "T", "q": 1}`)
	p, _ := NewProcessor(Config{})
	for i := 0; i < 2; i++ {
		if _, err := p.Canonicalize(context.Background(), []byte(b.String())); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.compCount.Load(); n != 0 {
		t.Fatalf("%d compositions cached", n)
	}
	// A small inline context is cached.
	if _, err := p.Canonicalize(context.Background(), []byte(`{"@context": {"@vocab": "http://ex.org/"}, "@id": "urn:a", "p": 1}`)); err != nil {
		t.Fatal(err)
	}
	if n := p.compCount.Load(); n == 0 {
		t.Fatal("small inline context not cached")
	}
}

func TestCancelledContext(t *testing.T) {
	p, _ := NewProcessor(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Canonicalize(ctx, []byte(`{"@context": {"@vocab": "http://ex.org/"}, "@id": "urn:a", "p": 1}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if _, err := p.CanonicalizeValue(ctx, map[string]any{"@id": "urn:a"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}
