package verifier_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/verifier"
)

// addProof adds to doc a proof by the key of seed, with opts.
func addProof(t *testing.T, doc map[string]any, seed byte, opts dataintegrity.ProofOptions) map[string]any {
	t.Helper()
	priv, _, vm := testKey(seed)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	require.NoError(t, err)
	out, err := p.AddProof(context.Background(), marshal(t, doc), opts)
	require.NoError(t, err)
	var signed map[string]any
	require.NoError(t, json.Unmarshal(out, &signed))
	return signed
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestProofByAnotherKey: a credential verifies when at least one proof is
// by a key of its issuer and every proof verifies with its own signer's key
// and purpose; the Result lists each proof with its signer. The first proof
// of a chain may be by another key, as in the Data Integrity suite.
func TestProofByAnotherKey(t *testing.T) {
	_, issuerDID, issuerVM := testKey(1)
	_, otherDID, otherVM := testKey(2)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(sampleFor(t, issuerDID), &doc))
	v := newVerifier(t, nil)

	const first = "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544"
	byOther := addProof(t, doc, 2, dataintegrity.ProofOptions{ID: first})
	chained := addProof(t, byOther, 1, dataintegrity.ProofOptions{PreviousProof: []string{first}})
	r := verify(t, v, marshal(t, chained))
	require.True(t, r.Verified, r.Summary())
	assert.Equal(t, []verifier.ProofSigner{
		{Path: "$.proof[0]", VerificationMethod: otherVM, Controller: otherDID, Purpose: "assertionMethod", Issuer: false, Verified: true},
		{Path: "$.proof[1]", VerificationMethod: issuerVM, Controller: issuerDID, Purpose: "assertionMethod", Issuer: true, Verified: true},
	}, r.Proofs)

	// A proof set (no chain), issuer's proof first: the same.
	set := addProof(t, addProof(t, doc, 1, dataintegrity.ProofOptions{}), 2, dataintegrity.ProofOptions{})
	r = verify(t, v, marshal(t, set))
	require.True(t, r.Verified, r.Summary())
	require.Len(t, r.Proofs, 2)

	// No proof by the issuer: refused, each proof by another key named.
	r = verify(t, v, marshal(t, byOther))
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), verifier.ErrIssuerMismatch)
	r = verify(t, v, marshal(t, addProof(t, byOther, 3, dataintegrity.ProofOptions{PreviousProof: []string{first}})))
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), verifier.ErrIssuerMismatch)

	// Another key's proof with its own purpose, not the expected one:
	// every proof must verify, so refused.
	auth := addProof(t, addProof(t, doc, 1, dataintegrity.ProofOptions{}), 2, dataintegrity.ProofOptions{Purpose: "authentication"})
	r = verify(t, v, marshal(t, auth))
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), dataintegrity.ErrPurposeMismatch)

	// The other key's proof tampered with: refused although the issuer's
	// verifies.
	tampered := addProof(t, addProof(t, doc, 1, dataintegrity.ProofOptions{}), 2, dataintegrity.ProofOptions{})
	proofs := tampered["proof"].([]any)
	proofs[1].(map[string]any)["proofValue"] = dataintegrity.EncodeProofValue(make([]byte, 64))
	r = verify(t, v, marshal(t, tampered))
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), dataintegrity.ErrInvalidSignature)
}

// TestW3CPreviousProofString: the Data Integrity suite's chain fixture
// (first proof by another key, a context wrapped in a second @context key)
// verifies only with inline contexts allowed, which unwraps the wrapping as
// jsonld.js does; by default it is refused.
func TestW3CPreviousProofString(t *testing.T) {
	dir := filepath.Join(testref.Shared(t), "conformance/w3c/data-integrity-test-suite-assertion/inputs/eddsa-rdfc-2022")
	at := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	for _, f := range []string{"2.0-previousProofStringOk-SimpleSigned2.json", "1.1-previousProofStringOk-SimpleSigned2.json"} {
		t.Run(f, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if os.IsNotExist(err) {
				t.Skip("no W3C suite copy")
			}
			require.NoError(t, err)
			strict := newVerifier(t, func(c *verifier.Config) { c.Now = at })
			r := verify(t, strict, b)
			assert.False(t, r.Verified)
			assert.ErrorIs(t, r.Err(), verifier.ErrInlineContext)

			inline := newVerifier(t, func(c *verifier.Config) { c.Now = at; c.InsecureAllowInlineContexts = true })
			r = verify(t, inline, b)
			require.True(t, r.Verified, r.Summary())
			require.Len(t, r.Proofs, 2)
			assert.False(t, r.Proofs[0].Issuer)
			assert.Equal(t, "did:key:z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7", r.Proofs[0].Controller)
			assert.True(t, r.Proofs[1].Issuer)
		})
	}
}
