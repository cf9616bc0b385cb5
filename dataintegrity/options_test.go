package dataintegrity

import (
	"context"
	"testing"
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
