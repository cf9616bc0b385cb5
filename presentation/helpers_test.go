package presentation_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// testNow is the fixed clock of the tests: after the badge's validFrom.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// Seeds of the test keys.
const (
	issuerSeed   = 1
	holderSeed   = 2
	strangerSeed = 3
)

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

func holderDID() string { _, d, _ := testKey(holderSeed); return d }

// badge returns a signed badge for subject with the given id: Data
// Integrity with suite, or a VC-JWT when suite is "jwt". A suite prefixed
// with "1.1/" makes a VC Data Model 1.1 badge.
func badge(t testing.TB, id, subject string, suite dataintegrity.SuiteName) []byte {
	t.Helper()
	name, v11 := strings.CutPrefix(string(suite), "1.1/")
	suite = dataintegrity.SuiteName(name)
	priv, d, vm := testKey(issuerSeed)
	b := testref.Testdata(t, "badge-template.json", "ISSUER", d, "SUBJECT", subject, "BADGE_ID", id)
	if v11 {
		b = bytes.Replace(b, []byte(credential.ContextV2), []byte(credential.ContextV1), 1)
		b = bytes.Replace(b, []byte(`"validFrom"`), []byte(`"issuanceDate"`), 1)
	}
	cfg := issuer.Config{Signer: priv, VerificationMethod: vm, Suite: suite, Now: fixedClock(testNow)}
	if suite == "jwt" {
		cfg.Suite, cfg.Format = "", issuer.FormatJWT
	}
	is, err := issuer.New(cfg)
	require.NoError(t, err)
	out, err := is.IssueJSON(context.Background(), b)
	require.NoError(t, err)
	return out
}

func newHolder(t testing.TB, seed byte, mod func(*presentation.HolderConfig)) *presentation.Holder {
	t.Helper()
	priv, _, vm := testKey(seed)
	cfg := presentation.HolderConfig{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow)}
	if mod != nil {
		mod(&cfg)
	}
	h, err := presentation.NewHolder(cfg)
	require.NoError(t, err)
	return h
}

var acceptedSuites = []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022}

func newVerifier(t testing.TB, mod func(*presentation.VerifierConfig)) *presentation.Verifier {
	t.Helper()
	cv, err := verifier.New(verifier.Config{Suites: acceptedSuites, Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA}, Now: fixedClock(testNow)})
	require.NoError(t, err)
	cfg := presentation.VerifierConfig{
		Credentials: cv,
		Suites:      []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022},
		Now:         fixedClock(testNow),
	}
	if mod != nil {
		mod(&cfg)
	}
	v, err := presentation.NewVerifier(cfg)
	require.NoError(t, err)
	return v
}

const (
	testChallenge = "c0ffee-challenge-1"
	testDomain    = "https://employer.example"
)

func present(t testing.TB, h *presentation.Holder, opts presentation.Options, creds ...[]byte) []byte {
	t.Helper()
	vp, err := h.Present(context.Background(), creds, opts)
	require.NoError(t, err)
	return vp
}

// compose returns the unsigned presentation of creds for holder.
func compose(t testing.TB, holder string, creds ...[]byte) []byte {
	t.Helper()
	vp, err := presentation.Compose(holder, creds, presentation.Options{})
	require.NoError(t, err)
	return vp
}

func verify(t testing.TB, v *presentation.Verifier, vp []byte, opts presentation.VerifyOptions) *presentation.Result {
	t.Helper()
	r, err := v.Verify(context.Background(), vp, opts)
	require.NoError(t, err)
	// Every result must serialise.
	_, err = json.Marshal(r)
	require.NoError(t, err, "result does not marshal")
	return r
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	require.NoError(t, d.Decode(&m))
	return m
}

func encode(t testing.TB, m any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// problemTypes lists the problem types of r.
func problemTypes(r *presentation.Result) string {
	var s []string
	for _, p := range r.ProblemDetails {
		s = append(s, p.Type)
	}
	return strings.Join(s, " ")
}
