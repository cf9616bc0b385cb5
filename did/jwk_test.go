package did

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

// did:jwk examples from the method specification (quartzjer/did-jwk spec.md).
const (
	specJWKP256   = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	specJWKX25519 = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)

func TestDIDJWKSpecP256(t *testing.T) {
	doc, err := JWKResolver{}.Resolve(context.Background(), specJWKP256)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/suites/jws-2020/v1"],` +
		`"id":"` + specJWKP256 + `","verificationMethod":[{"id":"` + specJWKP256 + `#0","type":"JsonWebKey2020",` +
		`"controller":"` + specJWKP256 + `","publicKeyJwk":{"kty":"EC","crv":"P-256",` +
		`"x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}}],` +
		`"authentication":["` + specJWKP256 + `#0"],"assertionMethod":["` + specJWKP256 + `#0"],` +
		`"keyAgreement":["` + specJWKP256 + `#0"],"capabilityInvocation":["` + specJWKP256 + `#0"],` +
		`"capabilityDelegation":["` + specJWKP256 + `#0"]}`
	got, _ := json.Marshal(doc)
	if string(got) != want {
		t.Fatalf("document:\n got %s\nwant %s", got, want)
	}
	for _, u := range []string{specJWKP256 + "#0", specJWKP256} {
		vm, _, err := ResolveVerificationMethod(context.Background(), nil, u, AssertionMethod)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if _, err := vm.PublicKey(); err != nil {
			t.Fatal(err)
		}
	}
	// Only #0 exists.
	_, _, err = ResolveVerificationMethod(context.Background(), nil, specJWKP256+"#1", AssertionMethod)
	wantErr(t, err, ErrNotFound)
}

func TestDIDJWKSpecX25519(t *testing.T) {
	doc, err := JWKResolver{}.Resolve(context.Background(), specJWKX25519)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.KeyAgreement) != 1 || doc.AssertionMethod != nil || doc.Authentication != nil {
		t.Fatalf("use=enc key must be keyAgreement only: %+v", doc)
	}
	_, _, err = ResolveVerificationMethod(context.Background(), nil, specJWKX25519+"#0", AssertionMethod)
	wantErr(t, err, ErrRelationship)
	if _, err := doc.VerificationMethods[0].PublicKey(); err == nil {
		t.Fatal("X25519 key returned as a signing key")
	}
}

func jwkDID(j string) string { return "did:jwk:" + b64.EncodeToString([]byte(j)) }

func TestDIDJWKRejects(t *testing.T) {
	ed := `"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"`
	x31 := b64.EncodeToString(make([]byte, 31))
	x33 := b64.EncodeToString(append([]byte{1}, make([]byte, 32)...))
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	weak, _ := json.Marshal(map[string]string{"kty": "RSA", "n": b64.EncodeToString(rsa1024.N.Bytes()), "e": "AQAB"})
	p256 := `"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"`
	tests := []struct {
		name string
		did  string
		want error
	}{
		{"private d", jwkDID(`{` + ed + `,"d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`), ErrInvalidKey},
		{"private p", jwkDID(`{` + ed + `,"p":"AQ"}`), ErrInvalidKey},
		{"symmetric k", jwkDID(`{"kty":"oct","k":"AAAA"}`), ErrInvalidKey},
		{"oct", jwkDID(`{"kty":"oct"}`), ErrKeyType},
		{"ed25519 31-byte x", jwkDID(`{"kty":"OKP","crv":"Ed25519","x":"` + x31 + `"}`), ErrInvalidKey},
		{"ed25519 33-byte x", jwkDID(`{"kty":"OKP","crv":"Ed25519","x":"` + x33 + `"}`), ErrInvalidKey},
		{"ed25519 identity", jwkDID(`{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`), ErrInvalidKey},
		{"kty/crv mismatch", jwkDID(`{"kty":"OKP","crv":"P-256","x":"AAAA"}`), ErrKeyType},
		{"EC with Ed25519 crv", jwkDID(`{"kty":"EC","crv":"Ed25519","x":"AAAA","y":"AAAA"}`), ErrKeyType},
		{"alg mismatch", jwkDID(`{` + ed + `,"alg":"ES256"}`), ErrKeyType},
		{"HMAC alg", jwkDID(`{` + ed + `,"alg":"HS256"}`), ErrKeyType},
		{"RSA 1024", jwkDID(string(weak)), ErrInvalidKey},
		{"EC off curve", jwkDID(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSA"}`), ErrInvalidKey},
		{"EC short coordinate", jwkDID(`{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}`), ErrInvalidKey},
		{"EC with RSA member", jwkDID(`{` + p256 + `,"n":"AQAB"}`), ErrInvalidKey},
		{"secp256k1", jwkDID(`{"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA"}`), ErrKeyType},
		{"no kty", jwkDID(`{"crv":"Ed25519"}`), ErrInvalidKey},
		{"kty not a string", jwkDID(`{"kty":1}`), ErrInvalidKey},
		{"duplicate member", jwkDID(`{` + ed + `,"x":"AAAA"}`), ErrInvalidKey},
		{"padded x", jwkDID(`{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik="}`), ErrInvalidKey},
		{"not JSON", jwkDID(`not json`), ErrInvalidKey},
		{"array", jwkDID(`[]`), ErrInvalidKey},
		{"trailing data", jwkDID(`{` + ed + `} x`), ErrInvalidKey},
		{"invalid UTF-8", jwkDID("{" + ed + ",\"kid\":\"\xff\"}"), ErrInvalidKey},
		{"key_ops without verify", jwkDID(`{` + ed + `,"key_ops":["encrypt"]}`), ErrKeyType},
		{"padded DID", specJWKP256 + "=", ErrInvalidDID},
		{"non-canonical trailing bits", "did:jwk:eyJ", ErrInvalidDID},
		{"standard base64", "did:jwk:" + strings.ReplaceAll(strings.TrimPrefix(jwkDID(`{`+p256+`,"kid":"??>>"}`), "did:jwk:"), "_", "/"), ErrInvalidDID},
		{"empty", "did:jwk:", ErrInvalidDID},
		{"not did:jwk", "did:key:z6Mk", ErrUnsupportedMethod},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := JWKDocument(tc.did)
			wantErr(t, err, tc.want)
		})
	}
}

func TestNewJWKDID(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	r2048 := testRSAKey(t)
	for _, pub := range []any{ed.Public(), &p256.PublicKey, &p384.PublicKey, &r2048.PublicKey} {
		did, vmID, err := NewJWKDID(pub)
		if err != nil {
			t.Fatal(err)
		}
		if vmID != did+"#0" {
			t.Fatalf("vmID %s", vmID)
		}
		vm, _, err := ResolveVerificationMethod(context.Background(), nil, vmID, AssertionMethod)
		if err != nil {
			t.Fatalf("%T: %v", pub, err)
		}
		got, err := vm.PublicKey()
		if err != nil || !got.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
			t.Fatalf("%T: key mismatch %v", pub, err)
		}
		again, _, _ := NewJWKDID(pub)
		if again != did {
			t.Fatal("NewJWKDID is not deterministic")
		}
	}
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

func testRSAKey(t testing.TB) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
	})
	return rsaKey
}

func TestJWKPublicKeyRSA(t *testing.T) {
	k := testRSAKey(t)
	j, err := JWKFromPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []string{"", "RS256", "PS256"} {
		jj := *j
		jj.Alg = alg
		if _, err := jj.PublicKey(); err != nil {
			t.Fatalf("alg %q: %v", alg, err)
		}
	}
	bad := *j
	bad.E = "AAEAAQ" // leading zero byte
	_, err = bad.PublicKey()
	wantErr(t, err, ErrInvalidKey)
	bad = *j
	bad.E = "Ag" // even exponent
	_, err = bad.PublicKey()
	wantErr(t, err, ErrInvalidKey)
	bad = *j
	bad.Use = "enc"
	_, err = bad.PublicKey()
	wantErr(t, err, ErrKeyType)
	var nilJWK *JWK
	_, err = nilJWK.PublicKey()
	wantErr(t, err, ErrInvalidKey)
	if _, err := ParseJWK([]byte(`{"kty":"RSA","n":"` + j.N + `","e":"AQAB","qi":"AQ"}`)); err == nil {
		t.Fatal("private RSA member accepted")
	}
}

func TestJWKUnmarshalJSON(t *testing.T) {
	var j JWK
	if err := json.Unmarshal([]byte(`{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}`), &j); err != nil || j.Crv != "Ed25519" {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}`), &j); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("private JWK: %v", err)
	}
}
