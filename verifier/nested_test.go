package verifier_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/verifier"
)

// clrLike signs, with key 1, the sample with the given credentials embedded
// in credentialSubject.verifiableCredential, as a CLR 2.0 ClrCredential
// gathers the achievements it reports.
func clrLike(t *testing.T, nested ...any) []byte {
	t.Helper()
	return signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		return editJSON(t, b, func(m map[string]any) {
			ctx := m["@context"].([]any)
			m["@context"] = append([]any{ctx[0], contextCLR}, ctx[1:]...) // the CLR context comes second
			m["type"] = []any{"VerifiableCredential", "ClrCredential"}
			s := obj(m["credentialSubject"])
			s["type"] = []any{"ClrSubject"}
			delete(s, "result") // a ClrSubject has none
			s["achievement"] = []any{s["achievement"]}
			s["verifiableCredential"] = nested
		})
	})
}

const contextCLR = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

func decoded(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestVerifyNestedCredentials(t *testing.T) {
	inner := signSample(t, 2, dataintegrity.SuiteEdDSARDFC2022, nil)
	v := newVerifier(t, nil)

	r := verify(t, v, clrLike(t, decoded(t, inner), string(inner)))
	if !r.Verified {
		t.Fatal(r.Summary())
	}
	for _, p := range []string{"$.credentialSubject.verifiableCredential[0]", "$.credentialSubject.verifiableCredential[1]"} {
		if sub := r.Credentials[p]; sub == nil || !sub.Verified {
			t.Errorf("%s: %+v", p, sub)
		}
	}

	// An embedded credential altered after its issuer signed it fails the
	// outer credential, although the outer proof covers the change.
	tampered := decoded(t, inner)
	tampered["name"] = "Something else"
	r = verify(t, v, clrLike(t, tampered))
	if r.Verified || !errors.Is(r.Err(), verifier.ErrNestedCredential) || !errors.Is(r.Err(), dataintegrity.ErrInvalidSignature) {
		t.Fatalf("tampered embedded credential: %s", r.Summary())
	}
	if sub := r.Credentials["$.credentialSubject.verifiableCredential[0]"]; sub == nil || sub.Verified {
		t.Fatalf("tampered embedded credential result: %+v", sub)
	}

	// An embedded credential signed by a key its issuer does not control.
	key3, _, vm3 := testKey(3)
	_, did2, _ := testKey(2)
	forged := proveWith(t, key3, vm3, did2, dataintegrity.ProofOptions{})
	r = verify(t, v, clrLike(t, decoded(t, forged)))
	if r.Verified || !errors.Is(r.Err(), verifier.ErrNestedCredential) || !errors.Is(r.Err(), verifier.ErrIssuerMismatch) {
		t.Fatalf("forged embedded credential: %s", r.Summary())
	}

	// With a depth limit of -1 nothing embedded is verified: a warning.
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.MaxEndorsementDepth = -1 }), clrLike(t, tampered))
	if !r.Verified || len(r.Warnings) == 0 || r.Credentials != nil {
		t.Fatalf("depth -1: %s", r.Summary())
	}
}

// TestVerifyNestedCredentialsLimit: beyond MaxNestedCredentials the rest
// are not checked, which is a failure.
func TestVerifyNestedCredentialsLimit(t *testing.T) {
	inner := decoded(t, signSample(t, 2, dataintegrity.SuiteEdDSARDFC2022, nil))
	var list []any
	for range verifier.MaxNestedCredentials + 5 {
		list = append(list, inner)
	}
	r := verify(t, newVerifier(t, nil), clrLike(t, list...))
	if r.Verified || len(r.Credentials) != verifier.MaxNestedCredentials {
		t.Fatalf("%d verified: %s", len(r.Credentials), r.Summary())
	}
	unchecked := false
	for _, p := range r.Errors {
		if p.Check == "credential" && errors.Is(p.Err, verifier.ErrNotChecked) {
			unchecked = true
		}
	}
	if !unchecked {
		t.Fatalf("no failure for the credentials not checked: %s", r.Summary())
	}
}
