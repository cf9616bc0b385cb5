package dataintegrity

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"
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
	ctxChanged["@context"] = []any{"https://www.w3.org/ns/credentials/v2", did.ContextEd25519}
	sign(ctxChanged) // another @context, so another configuration
	if counter.calls != 7 {
		t.Fatalf("new @context: %d canonicalizations, want 7", counter.calls)
	}
}

// recordingCanonicalizer remembers the maps it was asked to canonicalize.
type recordingCanonicalizer struct {
	Canonicalizer
	docs []map[string]any
}

func (c *recordingCanonicalizer) CanonicalizeValue(ctx context.Context, doc any) ([]byte, error) {
	if m, ok := doc.(map[string]any); ok {
		c.docs = append(c.docs, m)
	}
	return c.Canonicalizer.CanonicalizeValue(ctx, doc)
}

// TestVerifyOptionsUnsecured checks that Verify canonicalizes the caller's
// proof-less document when it is exactly the document without its proof,
// and otherwise ignores it: a caller's mistake cannot make Verify check a
// signature over a document other than the one given.
func TestVerifyOptionsUnsecured(t *testing.T) {
	signed, err := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{}).AddProof(context.Background(), sampleDoc(), ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	without := func() map[string]any {
		m := map[string]any{}
		for k, v := range signed {
			if k != "proof" {
				m[k] = v
			}
		}
		return m
	}
	used := func(rec *recordingCanonicalizer, m map[string]any) bool {
		for _, d := range rec.docs {
			if fmt.Sprintf("%p", d) == fmt.Sprintf("%p", m) {
				return true
			}
		}
		return false
	}
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	good := without()
	rec := &recordingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	res, err := v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{Processor: rec, Unsecured: good})
	if err != nil || !res.Verified || !used(rec, good) {
		t.Fatalf("exact Unsecured: verified %v (%v), used %v", res != nil && res.Verified, err, used(rec, good))
	}
	for name, bad := range map[string]map[string]any{
		"other value":  func() map[string]any { m := without(); m["name"] = "Forged"; return m }(),
		"extra member": func() map[string]any { m := without(); m["x"] = "y"; return m }(),
		"with proof":   func() map[string]any { m := without(); m["proof"] = signed["proof"]; return m }(),
	} {
		rec := &recordingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
		res, err := v.Verify(context.Background(), signed, Key(testPub), VerifyOptions{Processor: rec, Unsecured: bad})
		if err != nil || !res.Verified || used(rec, bad) {
			t.Errorf("%s: verified %v (%v), the mismatched document used: %v", name, res != nil && res.Verified, err, used(rec, bad))
		}
	}
}
