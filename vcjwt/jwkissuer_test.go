package vcjwt

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJWKRefutedByIssuerDID is SECURITY-CATALOGUE item 47: a token that
// carries its signer's key in the jwk header and claims a DID issuer whose
// DID document does not list that key is someone else signing in the
// issuer's name. The DID document is the authority on its keys, so this is
// ErrKeyNotIssuer, not a warning — with or without InsecureAcceptUnprovenJWK, and
// whatever a key set says.
func TestJWKRefutedByIssuerDID(t *testing.T) {
	attacker := ed25519.NewKeyFromSeed(sha256Sum("vcjwt test attacker"))
	for _, mk := range []func(testing.TB, any) (string, string){
		func(t testing.TB, pub any) (string, string) { return keyDID(t, pub) },
		func(t testing.TB, pub any) (string, string) { return jwkDID(t, pub) },
	} {
		victim, _ := mk(t, edKey.Public())
		tok, err := Sign(bg, credV2(victim), attacker, SignOptions{EmbedJWK: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, accept := range []bool{false, true} {
			o := opts()
			o.InsecureAcceptUnprovenJWK = accept
			v, err := Verify(bg, []byte(tok), o)
			if !errors.Is(err, ErrKeyNotIssuer) {
				t.Errorf("issuer %s, InsecureAcceptUnprovenJWK %v: got %v (%+v), want ErrKeyNotIssuer", victim, accept, err, v)
			}
		}
		// The issuer's own key in the jwk header is proven, not refuted.
		tok, err = Sign(bg, credV2(victim), edKey, SignOptions{EmbedJWK: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := Verify(bg, []byte(tok), opts())
		if err != nil || !v.KeyProven {
			t.Errorf("issuer's own key: %v, %+v", err, v)
		}
	}
	// An issuer that is not a DID cannot refute a key: still a warning.
	tok, err := Sign(bg, credV2("https://example.edu/issuers/1"), attacker, SignOptions{EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(bg, []byte(tok), opts())
	if err != nil || v.KeyProven || len(v.Warnings) == 0 {
		t.Errorf("https issuer: %v, %+v", err, v)
	}
}

// TestZeroValueRefusesUnprovenKey: the zero VerifyOptions (algorithms
// aside) refuse a jwk header key the issuer has not published; only
// InsecureAcceptUnprovenJWK turns that into a warning.
func TestZeroValueRefusesUnprovenKey(t *testing.T) {
	tok, err := Sign(bg, credV2("https://example.edu/issuers/1"), edKey, SignOptions{EmbedJWK: true})
	require.NoError(t, err)
	o := VerifyOptions{Algorithms: SupportedAlgorithms(), Now: fixedClock}
	_, err = Verify(bg, []byte(tok), o)
	assert.ErrorIs(t, err, ErrUnprovenKey)
	o.InsecureAcceptUnprovenJWK = true
	v, err := Verify(bg, []byte(tok), o)
	require.NoError(t, err)
	assert.False(t, v.KeyProven)
	require.Len(t, v.Warnings, 1)
	assert.Equal(t, WarnUnprovenKey, v.Warnings[0].Code)
}
