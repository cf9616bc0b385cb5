package attacks

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

var b64 = base64.RawURLEncoding

// compactJWS builds a compact JWS with the given header and payload JSON,
// signed by sign over the signing input (nil sign: empty signature).
func compactJWS(header, payload []byte, sign func(input []byte) []byte) []byte {
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	var sig []byte
	if sign != nil {
		sig = sign([]byte(input))
	}
	return []byte(input + "." + b64.EncodeToString(sig))
}

func edSign(priv ed25519.PrivateKey) func([]byte) []byte {
	return func(in []byte) []byte { return ed25519.Sign(priv, in) }
}

func hmacSign(secret []byte) func([]byte) []byte {
	return func(in []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(in)
		return m.Sum(nil)
	}
}

// jwtPayload is the sample credential issued by the key of seed, as a
// VC-JWT 2.0 payload (the credential plus iss, jti, sub, nbf), after edit.
func jwtPayload(t testing.TB, seed byte, edit func(map[string]any)) map[string]any {
	t.Helper()
	_, d, _ := testKey(seed)
	m := decode(t, sample(t, d))
	m["iss"] = d
	m["jti"] = m["id"]
	m["sub"] = obj(m["credentialSubject"])["id"]
	m["nbf"] = 1767225600 // 2026-01-01T00:00:00Z, the sample's validFrom
	if edit != nil {
		edit(m)
	}
	return m
}
