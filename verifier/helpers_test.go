package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

// testNow is the fixed clock of the tests: after the sample's validFrom.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

// sampleFor returns the sample badge with its issuer set to issuerID.
func sampleFor(t testing.TB, issuerID string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/badge.json")
	require.NoError(t, err)
	return bytes.ReplaceAll(b, []byte(`"ISSUER"`), []byte(`"`+issuerID+`"`))
}

// signSample signs the sample badge (after edit, if given) with the key
// of the given seed, created at testNow.
func signSample(t testing.TB, seed byte, suite dataintegrity.SuiteName, edit func([]byte) []byte) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Suite: suite, Now: fixedClock(testNow)})
	require.NoError(t, err)
	in := sampleFor(t, d)
	if edit != nil {
		in = edit(in)
	}
	out, err := is.IssueJSON(context.Background(), in)
	require.NoError(t, err)
	return out
}

var allSuites = []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020}

func newVerifier(t testing.TB, mod func(*verifier.Config)) *verifier.Verifier {
	t.Helper()
	cfg := verifier.Config{Suites: allSuites, Now: fixedClock(testNow)}
	if mod != nil {
		mod(&cfg)
	}
	v, err := verifier.New(cfg)
	require.NoError(t, err)
	return v
}

func verify(t testing.TB, v *verifier.Verifier, data []byte) *verifier.Result {
	t.Helper()
	r, err := v.Verify(context.Background(), data)
	require.NoError(t, err)
	return r
}

// signSampleUnchecked is signSample without the issuer's checks: the
// sample, edited, signed by a bare Data Integrity prover, so that a
// verifier test can present what the issuer refuses to sign (a
// relatedResource digest that does not match).
func signSampleUnchecked(t testing.TB, seed byte, suite dataintegrity.SuiteName, edit func([]byte) []byte) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: suite, Key: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	require.NoError(t, err)
	in := sampleFor(t, d)
	if edit != nil {
		in = edit(in)
	}
	signed, err := p.AddProof(context.Background(), in, dataintegrity.ProofOptions{})
	require.NoError(t, err)
	return signed
}
