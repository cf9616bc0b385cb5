package verifier_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/verifier"
)

// signRaw signs doc as it is, without validating it (as a careless issuer
// would), with the key of seed; an issuer id "ISSUER" becomes that key's DID.
func signRaw(t testing.TB, seed byte, doc map[string]any) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	if is, ok := doc["issuer"].(map[string]any); ok && is["id"] == "ISSUER" {
		is["id"] = d
	}
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	require.NoError(t, err)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	signed, err := p.AddProof(context.Background(), b, dataintegrity.ProofOptions{})
	require.NoError(t, err)
	return signed
}

// sampleDoc is the sample badge as a map, to be edited and signed by signRaw.
func sampleDoc(t testing.TB) map[string]any {
	t.Helper()
	return decodedTB(t, sampleFor(t, "ISSUER"))
}

func decodedTB(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func lenientVerifier(t testing.TB) *verifier.Verifier {
	return newVerifier(t, func(c *verifier.Config) { c.Lenient = true })
}

// relaxed returns the warnings of r that lenient mode relaxed.
func relaxed(r *verifier.Result) []verifier.ProblemDetail {
	var out []verifier.ProblemDetail
	for _, w := range r.Warnings {
		if w.Relaxed {
			out = append(out, w)
		}
	}
	return out
}

// TestLenientOB3Conformance: a badge that breaks an Open Badges 3.0 rule
// (an AchievementSubject with neither id nor identifier) but is authentic
// is "authentic, not conformant" in strict mode and verified, with a
// relaxed warning, in lenient mode.
func TestLenientOB3Conformance(t *testing.T) {
	doc := sampleDoc(t)
	delete(obj(doc["credentialSubject"]), "id")
	badge := signRaw(t, 1, doc)

	strict := verify(t, newVerifier(t, nil), badge)
	require.False(t, strict.Verified, strict.Summary())
	assert.True(t, strict.Authentic, strict.Summary())
	assert.False(t, strict.Conformant)
	assert.Equal(t, verifier.VerdictNotConformant, strict.Verdict())
	assert.Contains(t, strict.Summary(), "authentic, not conformant: ")
	require.NotEmpty(t, strict.Errors)
	for _, p := range strict.Errors {
		assert.Equal(t, verifier.ConformanceOB3, p.Conformance, "%+v", p)
	}

	lenient := verify(t, lenientVerifier(t), badge)
	require.True(t, lenient.Verified, lenient.Summary())
	assert.True(t, lenient.Authentic)
	assert.False(t, lenient.Conformant)
	assert.Equal(t, verifier.VerdictVerified, lenient.Verdict())
	rw := relaxed(lenient)
	require.NotEmpty(t, rw)
	assert.Equal(t, "ob3", rw[0].Check)
	assert.Equal(t, verifier.ConformanceOB3, rw[0].Conformance)
	assert.Equal(t, "$.credentialSubject", rw[0].Path)

	// A valid badge is authentic and conformant in both modes.
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	for _, v := range []*verifier.Verifier{newVerifier(t, nil), lenientVerifier(t)} {
		r := verify(t, v, good)
		assert.True(t, r.Verified && r.Authentic && r.Conformant, r.Summary())
		assert.Empty(t, relaxed(r))
	}
}

// TestLenientNeverRelaxes: what touches authenticity or what the document
// means fails in lenient mode too.
func TestLenientNeverRelaxes(t *testing.T) {
	v := lenientVerifier(t)

	// A VC Data Model failure: a validity date that is not a date-time.
	doc := sampleDoc(t)
	doc["validUntil"] = "next year"
	r := verify(t, v, signRaw(t, 1, doc))
	require.False(t, r.Verified, r.Summary())
	assert.True(t, r.Authentic)
	assert.Equal(t, verifier.VerdictNotConformant, r.Verdict())
	assert.Equal(t, verifier.ConformanceVCDM, r.Errors[0].Conformance)

	// Tampered after signing.
	signed := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	tampered := editJSON(t, signed, func(m map[string]any) { m["name"] = "Welding Safety Level 9" })
	r = verify(t, v, tampered)
	require.False(t, r.Verified, r.Summary())
	assert.False(t, r.Authentic)
	assert.Equal(t, verifier.VerdictNotVerified, r.Verdict())

	// Expired.
	doc = sampleDoc(t)
	doc["validUntil"] = "2026-02-01T00:00:00Z"
	r = verify(t, v, signRaw(t, 1, doc))
	wantFailure(t, r, verifier.ErrExpired, "validity")
	assert.False(t, r.Authentic)

	// Signed by a key that is not the issuer's.
	_, d1, _ := testKey(1)
	doc = sampleDoc(t)
	obj(doc["issuer"])["id"] = d1
	r = verify(t, v, signRaw(t, 2, doc))
	wantFailure(t, r, verifier.ErrIssuerMismatch, "proof")
	assert.False(t, r.Authentic)

	// No proof.
	r = verify(t, v, sampleFor(t, d1))
	wantFailure(t, r, verifier.ErrNoProof, "proof")
}

// endorsed returns the sample signed by key 1 with endorsements (signed
// JSON) in its achievement.
func endorsed(t *testing.T, ends ...[]byte) []byte {
	t.Helper()
	doc := sampleDoc(t)
	var list []any
	for _, e := range ends {
		list = append(list, decodedTB(t, e))
	}
	obj(obj(doc["credentialSubject"])["achievement"])["endorsement"] = list
	return signRaw(t, 1, doc)
}

const endorsementPath = "$.credentialSubject.achievement.endorsement"

// TestEndorsementsBeyondLimitFailStrict: past MaxEndorsements the rest are
// not checked; strict mode fails, lenient reports them and leaves them out
// of the verified endorsements.
func TestEndorsementsBeyondLimitFailStrict(t *testing.T) {
	end := signEndorsement(t, 2)
	ends := make([][]byte, verifier.MaxEndorsements+3)
	for i := range ends {
		ends[i] = end
	}
	badge := endorsed(t, ends...)

	r := verify(t, newVerifier(t, nil), badge)
	wantFailure(t, r, verifier.ErrNotChecked, "endorsement")
	assert.True(t, r.Authentic, "the badge itself is authentic")
	assert.Len(t, r.VerifiedEndorsements(), verifier.MaxEndorsements)
	assert.NotContains(t, r.Endorsements, endorsementPath+"[32]")

	r = verify(t, lenientVerifier(t), badge)
	require.True(t, r.Verified, r.Summary())
	assert.Len(t, r.VerifiedEndorsements(), verifier.MaxEndorsements)
	require.Len(t, relaxed(r), 1)
	assert.ErrorIs(t, relaxed(r)[0].Err, verifier.ErrNotChecked)
}

// TestEndorsementsTooDeepFailStrict: endorsements nested deeper than the
// depth limit are not checked: strict fails, lenient relaxes.
func TestEndorsementsTooDeepFailStrict(t *testing.T) {
	// An endorsement endorsed by an endorsement endorsed by an endorsement:
	// three levels below the badge, one more than DefaultMaxEndorsementDepth.
	e := signEndorsement(t, 4)
	for seed := byte(3); seed >= 2; seed-- {
		m := decodedTB(t, signEndorsement(t, seed))
		delete(m, "proof")
		m["endorsement"] = []any{decodedTB(t, e)}
		e = signRaw(t, seed, m)
	}
	badge := endorsed(t, e)

	r := verify(t, newVerifier(t, nil), badge)
	require.False(t, r.Verified, r.Summary())
	assert.ErrorIs(t, r.Err(), verifier.ErrEndorsement)
	assert.ErrorIs(t, r.Err(), verifier.ErrNotChecked)
	assert.Empty(t, r.VerifiedEndorsements(), "the top endorsement failed through its unchecked descendant")

	r = verify(t, lenientVerifier(t), badge)
	require.True(t, r.Verified, r.Summary())
	// The first level verified (its unchecked descendant relaxed), the
	// second level verified, the third not checked.
	assert.Equal(t, []string{endorsementPath + "[0]"}, r.VerifiedEndorsements())
	second := r.Endorsements[endorsementPath+"[0]"].Endorsements[endorsementPath+"[0].endorsement[0]"]
	require.NotNil(t, second)
	assert.True(t, second.Verified)
	assert.NotEmpty(t, relaxed(second))

	// Turned off by the caller: a plain warning, nothing presented as
	// verified, in both modes.
	for _, lenient := range []bool{false, true} {
		r = verify(t, newVerifier(t, func(c *verifier.Config) { c.MaxEndorsementDepth = -1; c.Lenient = lenient }), badge)
		require.True(t, r.Verified, r.Summary())
		assert.Empty(t, r.VerifiedEndorsements())
	}
}

// TestLenientFailedEndorsement: an embedded endorsement that fails (here,
// expired) fails the badge in strict mode; in lenient mode it is reported,
// left out of the verified endorsements, and does not decide the verdict.
func TestLenientFailedEndorsement(t *testing.T) {
	m := decodedTB(t, signEndorsement(t, 2))
	delete(m, "proof")
	m["validUntil"] = "2026-02-01T00:00:00Z"
	expired := signRaw(t, 2, m)
	badge := endorsed(t, signEndorsement(t, 3), expired)

	r := verify(t, newVerifier(t, nil), badge)
	wantFailure(t, r, verifier.ErrEndorsement, "endorsement")
	assert.ErrorIs(t, r.Err(), verifier.ErrExpired)
	assert.True(t, r.Authentic)
	assert.Equal(t, verifier.VerdictNotVerified, r.Verdict())

	r = verify(t, lenientVerifier(t), badge)
	require.True(t, r.Verified, r.Summary())
	assert.True(t, r.Conformant)
	assert.Equal(t, []string{endorsementPath + "[0]"}, r.VerifiedEndorsements())
	require.Len(t, relaxed(r), 1)
	assert.Equal(t, endorsementPath+"[1]", relaxed(r)[0].Path)
	assert.ErrorIs(t, relaxed(r)[0].Err, verifier.ErrEndorsement)
}

// TestLenientNestedCredentials: the credentials a CLR embeds follow the
// same rule as endorsements.
func TestLenientNestedCredentials(t *testing.T) {
	good := signSample(t, 2, dataintegrity.SuiteEdDSARDFC2022, nil)
	bad := editJSON(t, good, func(m map[string]any) { m["name"] = "changed" })
	clr := clrLike(t, decodedTB(t, good), decodedTB(t, bad))

	r := verify(t, newVerifier(t, nil), clr)
	wantFailure(t, r, verifier.ErrNestedCredential, "credential")

	r = verify(t, lenientVerifier(t), clr)
	require.True(t, r.Verified, r.Summary())
	assert.Equal(t, []string{"$.credentialSubject.verifiableCredential[0]"}, r.VerifiedCredentials())
	assert.Len(t, relaxed(r), 1)
}

// TestResultSigned: Signed tells the issuer's word (even expired, or not
// conformant) from a mere claim (tampered, no proof, another key).
func TestResultSigned(t *testing.T) {
	v := newVerifier(t, nil)
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	assert.True(t, verify(t, v, good).Signed())

	doc := sampleDoc(t)
	doc["validUntil"] = "2026-02-01T00:00:00Z"
	expired := verify(t, v, signRaw(t, 1, doc))
	require.False(t, expired.Verified)
	assert.True(t, expired.Signed(), expired.Summary())

	doc = sampleDoc(t)
	delete(obj(doc["credentialSubject"]), "id")
	assert.True(t, verify(t, v, signRaw(t, 1, doc)).Signed())

	tampered := editJSON(t, good, func(m map[string]any) { m["name"] = "changed" })
	assert.False(t, verify(t, v, tampered).Signed())
	_, d1, _ := testKey(1)
	assert.False(t, verify(t, v, sampleFor(t, d1)).Signed(), "no proof")
	doc = sampleDoc(t)
	obj(doc["issuer"])["id"] = d1
	assert.False(t, verify(t, v, signRaw(t, 2, doc)).Signed(), "another key")
}
