package jsonld

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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

// FuzzCanonicalize checks properties of accepted documents: the decoded-
// value entry point agrees with the bytes one, and canonical output is a
// fixed point of N-Quads canonicalization.
func FuzzCanonicalize(f *testing.F) {
	addSeeds(f)
	p, err := NewProcessor(Config{MaxDepth: 32, MaxQuads: 5000, MaxCanonicalizationWork: 5000})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ctx := context.Background()
		out, err := p.Canonicalize(ctx, doc)
		if err != nil {
			return
		}
		var v any
		d := json.NewDecoder(bytesReader(doc))
		d.UseNumber()
		if d.Decode(&v) != nil {
			t.Fatalf("we accepted JSON that encoding/json rejects: %q", doc)
		}
		again, err := p.CanonicalizeValue(ctx, v)
		if err != nil {
			t.Fatalf("CanonicalizeValue rejects what Canonicalize accepts: %v", err)
		}
		if string(again) != string(out) {
			t.Fatalf("CanonicalizeValue differs:\n%s\nvs\n%s", again, out)
		}
		q, err := rdfc.ParseNQuads(out)
		if err != nil {
			t.Fatalf("output is not N-Quads: %v", err)
		}
		re, err := rdfc.CanonicalNQuads(ctx, q, &rdfc.Options{MaxWork: 5000})
		if err != nil || string(re) != string(out) {
			t.Fatalf("canonical output is not a fixed point (err %v)", err)
		}
	})
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrInvalidJSON, ErrDuplicateKey, ErrLimitExceeded, ErrUndefinedTerm, ErrRelativeType,
		ErrRelativeID, ErrRelativeVocab, ErrInvalidLanguage, ErrDroppedValue, ErrReservedTerm, ErrInvalidIRI,
		ErrBlankNodePredicate, ErrProtectedTermRedefinition, ErrInvalidContext, ErrLoadingContext, ErrInvalidSyntax,
		ErrCanonicalizationLimit, context.DeadlineExceeded} {
		if errorsIs(err, s) {
			return true
		}
	}
	return false
}
