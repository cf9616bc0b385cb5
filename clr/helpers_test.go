package clr_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// testNow is the tests' clock: after the sample badge's validFrom.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

const learner = "did:example:learner-42"

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

func newIssuer(t testing.TB, seed byte, format issuer.Format) *issuer.Issuer {
	t.Helper()
	priv, _, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: clock, Format: format})
	require.NoError(t, err)
	return is
}

func newVerifier(t testing.TB, lenient bool) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{
		Suites:     []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA},
		Now:        clock,
		Lenient:    lenient,
	})
	require.NoError(t, err)
	return v
}

// sampleDoc is the shared sample badge as a document.
func sampleDoc(t testing.TB) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../testdata/badge.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	delete(m, "issuer") // the issuer fills in its own
	return m
}

func obj(x any) map[string]any { return x.(map[string]any) }

// badge signs, with the key of seed, the sample badge for learner subject
// with the achievement id (and name).
func badge(t testing.TB, seed byte, subject, achievementID string) []byte {
	t.Helper()
	doc := sampleDoc(t)
	doc["id"] = "urn:uuid:" + achievementID[len(achievementID)-8:] + "-0000-4000-8000-00000000000" + string('0'+seed)
	s := obj(doc["credentialSubject"])
	s["id"] = subject
	obj(s["achievement"])["id"] = achievementID
	return sign(t, seed, doc)
}

func sign(t testing.TB, seed byte, doc map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	out, err := newIssuer(t, seed, issuer.FormatDataIntegrity).IssueJSON(context.Background(), b)
	require.NoError(t, err)
	return out
}

// signAnyway signs doc with the key of seed without the issuer's checks,
// to make credentials that break the rules for the verifier to judge.
func signAnyway(t testing.TB, seed byte, doc map[string]any) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	doc["issuer"] = d
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Now: clock})
	require.NoError(t, err)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	signed, err := p.AddProof(context.Background(), b, dataintegrity.ProofOptions{})
	require.NoError(t, err)
	return signed
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}
