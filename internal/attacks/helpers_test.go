package attacks

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

// testNow is the fixed clock: after the sample's validFrom (2026-01-01).
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

var allSuites = []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020}

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

// sample returns the sample badge (/testdata/badge.json) issued by issuerID.
func sample(t testing.TB, issuerID string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/badge.json")
	require.NoError(t, err)
	return bytes.ReplaceAll(b, []byte(`"ISSUER"`), []byte(`"`+issuerID+`"`))
}

// sign issues the sample (after edit) with the key of seed and suite.
func sign(t testing.TB, seed byte, suite dataintegrity.SuiteName, edit func(map[string]any)) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Suite: suite, Now: clock(testNow)})
	require.NoError(t, err)
	in := sample(t, d)
	if edit != nil {
		in = editJSON(t, in, edit)
	}
	out, err := is.IssueJSON(context.Background(), in)
	require.NoError(t, err)
	return out
}

func newVerifier(t testing.TB, mod func(*verifier.Config)) *verifier.Verifier {
	t.Helper()
	cfg := verifier.Config{Suites: allSuites, Now: clock(testNow)}
	if mod != nil {
		mod(&cfg)
	}
	v, err := verifier.New(cfg)
	require.NoError(t, err)
	return v
}

// decode parses JSON into generic values with json.Number.
func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "decode")
	return m
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// editJSON decodes b, applies edit and encodes the result.
func editJSON(t testing.TB, b []byte, edit func(map[string]any)) []byte {
	t.Helper()
	m := decode(t, b)
	edit(m)
	return encode(t, m)
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// proof0 returns the first (or only) proof of m.
func proof0(m map[string]any) map[string]any {
	switch p := m["proof"].(type) {
	case map[string]any:
		return p
	case []any:
		return obj(p[0])
	}
	return nil
}

// repoRoot walks up from the working directory to the module root.
func repoRoot(t testing.TB) string {
	t.Helper()
	return testref.Root(t)
}
