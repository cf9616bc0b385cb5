package dataintegrity

import (
	"context"
	"testing"
	"time"
)

// countingCanonicalizer counts the calls it serves.
type countingCanonicalizer struct {
	Canonicalizer
	calls int
}

func (c *countingCanonicalizer) CanonicalizeValue(ctx context.Context, doc any) ([]byte, error) {
	c.calls++
	return c.Canonicalizer.CanonicalizeValue(ctx, doc)
}

// TestVerifyOptionsProcessor checks that VerifyOptions.Processor replaces
// the configured canonicalizer for one call only.
func TestVerifyOptionsProcessor(t *testing.T) {
	configured := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	perCall := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	signed, err := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{}).AddProof(context.Background(), sampleDoc(), ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, configured, SuiteEdDSARDFC2022)
	res, err := v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{Processor: perCall})
	if err != nil || !res.Verified {
		t.Fatalf("Verify: %v %+v", err, res)
	}
	if perCall.calls == 0 || configured.calls != 0 {
		t.Fatalf("per-call canonicalizer used %d times, configured one %d times", perCall.calls, configured.calls)
	}
	if res, err = v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{}); err != nil || !res.Verified || configured.calls == 0 {
		t.Fatalf("without the option: %v, configured canonicalizer used %d times", err, configured.calls)
	}
	// A typed nil in the option is no override (and no panic).
	var none *countingCanonicalizer
	if res, err = v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{Processor: none}); err != nil || !res.Verified {
		t.Fatalf("typed nil Processor: %v", err)
	}
}

// TestProverMemoizesProofConfig checks that a Prover reuses the canonical
// proof configuration only for an identical configuration: the same
// created time reuses it, another created time or document context does
// not, and the signatures verify either way.
func TestProverMemoizesProofConfig(t *testing.T) {
	counter := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	now := testTime
	p, err := NewProver(ProverConfig{Suite: SuiteEdDSARDFC2022, Key: testKey, VerificationMethod: testVM, Processor: counter, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	sign := func(doc map[string]any) {
		t.Helper()
		signed, err := p.AddProof(context.Background(), doc, ProofOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res, err := v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
			t.Fatalf("signature does not verify: %v", err)
		}
	}
	sign(sampleDoc()) // document + configuration
	if counter.calls != 2 {
		t.Fatalf("first proof: %d canonicalizations, want 2", counter.calls)
	}
	other := sampleDoc()
	other["id"] = "urn:uuid:another"
	sign(other) // document only: same configuration
	if counter.calls != 3 {
		t.Fatalf("same configuration: %d canonicalizations, want 3", counter.calls)
	}
	now = now.Add(time.Second)
	sign(other) // another created time
	if counter.calls != 5 {
		t.Fatalf("new created time: %d canonicalizations, want 5", counter.calls)
	}
	ctxChanged := sampleDoc()
	ctxChanged["@context"] = []any{"https://www.w3.org/ns/credentials/v2", ContextEd25519Signature2020}
	sign(ctxChanged) // another @context, so another configuration
	if counter.calls != 7 {
		t.Fatalf("new @context: %d canonicalizations, want 7", counter.calls)
	}
}
