package verifier

import (
	"bytes"
	"context"
	"testing"

	"github.com/microcred/openbadges/jsonld"
)

func TestSameFlat(t *testing.T) {
	a := map[string]any{"a": "b", "c": []any{"d", "e"}}
	for _, b := range []map[string]any{
		{"a": "b", "c": []any{"d"}},
		{"a": "b", "c": "d"},
		{"a": "b", "c": []any{"d", "f"}},
		{"a": "b", "x": []any{"d", "e"}},
		{"a": "b", "c": []any{"d", "e"}, "z": ""},
	} {
		if sameFlat(a, b) || sameFlat(b, a) {
			t.Errorf("%v and %v taken as equal", a, b)
		}
	}
	if !sameFlat(a, copyFlat(a)) {
		t.Error("a copy differs")
	}
	for _, m := range []map[string]any{{"a": map[string]any{}}, {"a": []any{1.0}}, {"a": true}, {"a": nil}} {
		if isFlat(m) {
			t.Errorf("%v taken as flat", m)
		}
	}
	c := copyFlat(a)
	a["c"].([]any)[0] = "changed"
	if c["c"].([]any)[0] != "d" {
		t.Error("the copy shares its list")
	}
}

// TestConfigMemo checks that the memo returns what the processor returns,
// for the same configuration and after another one, and leaves documents
// that are not flat to the processor.
func TestConfigMemo(t *testing.T) {
	p, err := jsonld.NewProcessor(jsonld.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	config := func(created string) map[string]any {
		return map[string]any{
			"@context":           []any{"https://www.w3.org/ns/credentials/v2"},
			"type":               "DataIntegrityProof",
			"cryptosuite":        "eddsa-rdfc-2022",
			"created":            created,
			"verificationMethod": "did:example:issuer#key-1",
			"proofPurpose":       "assertionMethod",
		}
	}
	var m configMemo
	for _, created := range []string{"2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:00Z"} {
		got, err := m.canonicalize(ctx, p, config(created))
		if err != nil {
			t.Fatal(err)
		}
		want, err := p.CanonicalizeValue(ctx, config(created))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("created %s: memo gave\n%s\nprocessor gives\n%s", created, got, want)
		}
	}
	nested := map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential", "credentialSubject": map[string]any{"id": "did:example:a"}}
	if _, err := m.canonicalize(ctx, p, nested); err != nil {
		t.Fatal(err)
	}
	if e := m.last.Load(); e == nil || !bytes.Contains(e.canonical, []byte("2026-01-01T00:00:00Z")) {
		t.Fatal("a nested document replaced the memo")
	}
}
