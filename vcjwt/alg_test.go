package vcjwt

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"math/big"
	"strings"
	"testing"
)

func TestCheckKey(t *testing.T) {
	keys(t)
	good := map[Algorithm]any{RS256: rsaKey.Public(), ES256: p256Key.Public(), ES384: p384Key.Public(), EdDSA: edKey.Public()}
	for alg, k := range good {
		if err := checkKey(alg, k); err != nil {
			t.Errorf("%s: %v", alg, err)
		}
		got, err := AlgorithmFor(k)
		if err != nil || got != alg {
			t.Errorf("AlgorithmFor = %s, %v; want %s", got, err, alg)
		}
		// Every other algorithm refuses the key.
		for other := range good {
			if other != alg {
				wantErr(t, checkKey(other, k), ErrInvalidKey)
			}
		}
		// A []byte is never a key (go-jose would take it as an HMAC secret).
		wantErr(t, checkKey(alg, []byte("secret")), ErrInvalidKey)
		wantErr(t, checkKey(alg, nil), ErrInvalidKey)
	}
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), nil)
	//lint:ignore SA1019 building invalid keys on purpose
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P256(), X: big.NewInt(1), Y: big.NewInt(1)}
	for name, tc := range map[string]struct {
		alg Algorithm
		key any
	}{
		"rsa 1024":        {RS256, rsaSmallKey.Public()},
		"rsa nil":         {RS256, (*rsa.PublicKey)(nil)},
		"rsa nil N":       {RS256, &rsa.PublicKey{E: 65537}},
		"rsa even e":      {RS256, &rsa.PublicKey{N: rsaKey.N, E: 65536}},
		"rsa huge":        {RS256, &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 9000), E: 65537}},
		"ecdsa nil":       {ES256, (*ecdsa.PublicKey)(nil)},
		"ecdsa no coords": {ES256, &ecdsa.PublicKey{Curve: elliptic.P256()}},
		"ecdsa off curve": {ES256, offCurve},
		"ecdsa p224":      {ES256, p224.Public()},
		"ed short":        {EdDSA, ed25519.PublicKey(make([]byte, 31))},
		"ed small order":  {EdDSA, ed25519.PublicKey(append([]byte{1}, make([]byte, 31)...))},
	} {
		t.Run(name, func(t *testing.T) {
			wantErr(t, checkKey(tc.alg, tc.key), ErrInvalidKey)
		})
	}
	for _, k := range []any{p224.Public(), rsaSmallKey.Public(), "key", nil} {
		if _, err := AlgorithmFor(k); err == nil {
			t.Errorf("AlgorithmFor(%T) accepted", k)
		}
	}
	wantErr(t, checkKey("HS256", []byte("x")), ErrAlgorithmNotAllowed)
	if e := quote(strings.Repeat("x", 200)); len(e) > 90 {
		t.Errorf("quote did not shorten: %d", len(e))
	}
}

func TestJWKAlgMustMatch(t *testing.T) {
	f := newFixture(t)
	jwk := strings.TrimSuffix(jwkJSON(t, edKey.Public()), "}") + `,"alg":"ES256"}`
	_, err := Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","jwk":`+jwk+`}`, "")), opts())
	wantErr(t, err, ErrInvalidKey)
}
