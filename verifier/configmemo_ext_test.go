package verifier_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/microcred/openbadges/issuer"
)

// TestProofConfigMemoDoesNotConfuse verifies credentials signed at
// different times in turn with one Verifier (whose memo of proof
// configurations changes each time), and a credential whose created time
// was altered after signing, which must fail even right after the
// original verified.
func TestProofConfigMemoDoesNotConfuse(t *testing.T) {
	priv, d, vm := testKey(3)
	sign := func(at time.Time) []byte {
		is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(at)})
		if err != nil {
			t.Fatal(err)
		}
		out, err := is.IssueJSON(context.Background(), sampleFor(t, d))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := sign(testNow.Add(-time.Hour)), sign(testNow.Add(-2*time.Hour))
	v := newVerifier(t, nil)
	for i, c := range [][]byte{a, b, a, a, b} {
		if r := verify(t, v, c); !r.Verified {
			t.Fatalf("credential %d: %s", i, r.Summary())
		}
	}
	created := testNow.Add(-time.Hour).UTC().Format(time.RFC3339)
	altered := bytes.Replace(b, []byte(testNow.Add(-2*time.Hour).UTC().Format(time.RFC3339)), []byte(created), 1)
	if bytes.Equal(altered, b) {
		t.Fatal("created time not found")
	}
	verify(t, v, a) // the memo now holds a's configuration, which altered's equals
	if r := verify(t, v, altered); r.Verified {
		t.Fatal("a credential with an altered created time verified")
	}
}
