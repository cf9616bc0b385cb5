package dataintegrity

import (
	"context"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingCanonicalizer counts the calls it serves.
type countingCanonicalizer struct {
	Canonicalizer
	calls int
}

func (c *countingCanonicalizer) Canonicalize(ctx context.Context, doc []byte) ([]byte, error) {
	c.calls++
	return c.Canonicalizer.Canonicalize(ctx, doc)
}

// TestVerifyCanonicalizesOnce checks that Verify canonicalizes the
// document without its proofs once for all the proofs of a set, and reports
// the outcome, so that a caller need not expand the document again.
func TestVerifyCanonicalizesOnce(t *testing.T) {
	ctx := context.Background()
	p := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{})
	signed, err := p.addMap(ctx, sampleDoc(), ProofOptions{})
	require.NoError(t, err)
	signed, err = p.addMap(ctx, signed, ProofOptions{Domain: []string{"example.org"}})
	require.NoError(t, err)
	counter := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	v := newTestVerifier(t, counter, SuiteEdDSARDFC2022)
	res, err := v.verifyMap(ctx, signed, Key(testPub), VerifyOptions{})
	require.NoError(t, err)
	require.True(t, res.Verified)
	assert.Len(t, res.Proofs, 2)
	// The document once, and the two proof configurations.
	assert.Equal(t, 3, counter.calls)
	assert.True(t, res.DocumentCanonicalized)
	assert.NoError(t, res.DocumentErr)

	jcsSigned, err := newTestProver(t, SuiteEdDSAJCS2022, nil).addMap(ctx, sampleDoc(), ProofOptions{})
	require.NoError(t, err)
	res, err = newTestVerifier(t, nil, SuiteEdDSAJCS2022).verifyMap(ctx, jcsSigned, Key(testPub), VerifyOptions{})
	require.NoError(t, err)
	require.True(t, res.Verified)
	assert.False(t, res.DocumentCanonicalized, "eddsa-jcs-2022 does not read the document as JSON-LD")
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
		signed, err := p.addMap(context.Background(), doc, ProofOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res, err := v.verifyMap(context.Background(), signed, Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
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
	ctxChanged["@context"] = []any{"https://www.w3.org/ns/credentials/v2", did.ContextEd25519}
	sign(ctxChanged) // another @context, so another configuration
	if counter.calls != 7 {
		t.Fatalf("new @context: %d canonicalizations, want 7", counter.calls)
	}
}
