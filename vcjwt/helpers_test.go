package vcjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
)

// sharedReference returns <repo root>/../shared/reference, or skips the test
// when that directory is absent.
func sharedReference(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
}

// wantErr fails unless err matches every target and is package-prefixed.
func wantErr(t testing.TB, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %q does not match %q", err, target)
		}
	}
	if !strings.HasPrefix(err.Error(), "vcjwt: ") {
		t.Fatalf("error %q is not prefixed with \"vcjwt: \"", err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %q is not a *vcjwt.Error", err)
	}
}

// testNow is the fixed clock of the tests: after validFrom, before validUntil.
var testNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// Test keys. Ed25519 is derived from a fixed seed; the others are generated
// once per test binary.
var (
	edKey = ed25519.NewKeyFromSeed(sha256Sum("vcjwt test ed25519"))

	keysOnce         sync.Once
	rsaKey           *rsa.PrivateKey
	p256Key, p384Key *ecdsa.PrivateKey
	rsaSmallKey      *rsa.PrivateKey
	p256OtherKey     *ecdsa.PrivateKey
)

func sha256Sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func keys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if p256Key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
		if p384Key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
			panic(err)
		}
		if p256OtherKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
		// A 1024-bit key, to prove it is refused.
		if rsaSmallKey, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
	})
}

// credV2 returns an OB 3.0 (VCDM 2.0) credential issued by issuer.
func credV2(issuer string) []byte {
	return []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example University"},
  "validFrom": "2025-01-01T00:00:00Z",
  "validUntil": "2030-01-01T00:00:00.500Z",
  "name": "Teamwork Badge",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.com/achievements/teamwork",
      "type": ["Achievement"],
      "name": "Teamwork",
      "description": "Works well in a team <&>.",
      "criteria": {"narrative": "Nominated by peers."}
    }
  }
}`)
}

// credV1 returns an OB 3.0 credential in the VCDM 1.1 form.
func credV1(issuer string) []byte {
	return []byte(`{
  "@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "http://example.edu/credentials/3732",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example University"},
  "issuanceDate": "2010-01-01T00:00:00Z",
  "name": "Example University Degree",
  "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "type": ["AchievementSubject"]}
}`)
}

// keyDID returns the did:key DID and method id of a key.
func keyDID(t testing.TB, pub crypto.PublicKey) (string, string) {
	t.Helper()
	d, vm, err := did.NewKeyDID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return d, vm
}

// jwkDID returns the did:jwk DID and method id of a key.
func jwkDID(t testing.TB, pub crypto.PublicKey) (string, string) {
	t.Helper()
	d, vm, err := did.NewJWKDID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return d, vm
}

// opts returns verify options accepting every algorithm, with the test
// clock, that only warn about an unproven jwk key or a missing sub (the
// tests that want them refused clear the Insecure options).
func opts() VerifyOptions {
	return VerifyOptions{Algorithms: SupportedAlgorithms(), Now: fixedClock, InsecureAcceptUnprovenJWK: true, InsecureAcceptMissingSubject: true}
}

// craft signs an arbitrary header and payload (given as JSON text) with
// signer, so that negative tests can build well-signed hostile tokens.
func craft(t testing.TB, header, payload string, signer crypto.Signer, alg Algorithm) string {
	t.Helper()
	input := b64.EncodeToString([]byte(header)) + "." + b64.EncodeToString([]byte(payload))
	sig, err := signInput(signer, alg, []byte(input), nil)
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(sig)
}

// jwkJSON returns the public JWK of a key as JSON text.
func jwkJSON(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	j, err := did.JWKFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodePart decodes a token's header (0) or payload (1) as JSON.
func decodePart(t testing.TB, token string, i int) map[string]any {
	t.Helper()
	raw, err := b64.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var bg = context.Background()

// lyingSigner signs with one key and claims another.
type lyingSigner struct {
	signer crypto.Signer
	claims crypto.Signer
}

func (l lyingSigner) Public() crypto.PublicKey { return l.claims.Public() }

func (l lyingSigner) Sign(r io.Reader, digest []byte, o crypto.SignerOpts) ([]byte, error) {
	return l.signer.Sign(r, digest, o)
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
