package verifier

import (
	"bytes"
	"context"
	"testing"

	"github.com/microcred/openbadges/jsonld"
)

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
	if out, hit := m.memo.Get(config("2026-01-01T00:00:00Z")); !hit || !bytes.Contains(out, []byte("2026-01-01T00:00:00Z")) {
		t.Fatal("a nested document replaced the memo")
	}
}
