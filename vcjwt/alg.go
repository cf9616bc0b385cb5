package vcjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"

	"github.com/microcred/openbadges/did"
)

// Algorithm is a JWS "alg" value (RFC 7518, RFC 8037).
type Algorithm string

// The signature algorithms this package implements. RS256 is the one Open
// Badges 3.0 requires every verifier to support.
const (
	RS256 Algorithm = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256, RSA keys of 2048 to 8192 bits
	ES256 Algorithm = "ES256" // ECDSA on P-256 with SHA-256
	ES384 Algorithm = "ES384" // ECDSA on P-384 with SHA-384
	EdDSA Algorithm = "EdDSA" // Ed25519
)

// SupportedAlgorithms returns every algorithm this package implements, for
// callers that accept all of them. Verify still requires the caller to pass
// its allow-list explicitly.
func SupportedAlgorithms() []Algorithm {
	return []Algorithm{RS256, ES256, ES384, EdDSA}
}

// RSA modulus bounds, as in the did package: below 2048 bits RSA is too weak,
// above 8192 bits verification is a cheap way to burn CPU.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// supported reports whether alg is one of the four algorithms implemented.
// "none", the HMAC algorithms (HS256…, which would make go-jose treat a key
// as a shared secret) and everything else are never supported.
func supported(alg Algorithm) bool {
	switch alg {
	case RS256, ES256, ES384, EdDSA:
		return true
	}
	return false
}

// AlgorithmFor returns the algorithm Sign uses by default for a public key:
// RS256 for RSA, ES256 for P-256, ES384 for P-384, EdDSA for Ed25519.
func AlgorithmFor(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return RS256, checkKey(RS256, k)
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			break
		}
		switch k.Curve {
		case elliptic.P256():
			return ES256, nil
		case elliptic.P384():
			return ES384, nil
		}
		return "", newError(ErrInvalidKey, "key", "unsupported curve "+k.Curve.Params().Name)
	case ed25519.PublicKey:
		return EdDSA, checkKey(EdDSA, k)
	}
	return "", newError(ErrInvalidKey, "key", fmt.Sprintf("unsupported key type %T", pub))
}

// checkKey reports whether pub is a safe key of the type alg needs. It runs
// before any key reaches go-jose, which would treat a []byte as an HMAC
// secret and would not refuse a 1024-bit RSA key.
func checkKey(alg Algorithm, pub crypto.PublicKey) error {
	bad := func(reason string) error {
		return newError(ErrInvalidKey, "key", fmt.Sprintf("%s: %s", alg, reason))
	}
	switch alg {
	case RS256:
		k, ok := pub.(*rsa.PublicKey)
		if !ok || k == nil || k.N == nil {
			return bad(fmt.Sprintf("needs an RSA key, not %T", pub))
		}
		if n := k.N.BitLen(); n < minRSABits || n > maxRSABits {
			return bad(fmt.Sprintf("RSA modulus of %d bits (must be %d to %d)", n, minRSABits, maxRSABits))
		}
		if k.E < 3 || k.E%2 == 0 {
			return bad("invalid RSA public exponent")
		}
		return nil
	case ES256, ES384:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k == nil || k.Curve == nil {
			return bad(fmt.Sprintf("needs an ECDSA key, not %T", pub))
		}
		want := elliptic.P256()
		if alg == ES384 {
			want = elliptic.P384()
		}
		if k.Curve != want {
			return bad("needs a key on " + want.Params().Name + ", not " + k.Curve.Params().Name)
		}
		//lint:ignore SA1019 reading (not setting) the coordinates is the only way to see that they are missing, in which case Bytes would panic
		if k.X == nil || k.Y == nil {
			return bad("missing point coordinates")
		}
		if _, err := k.Bytes(); err != nil { // rejects points not on the curve
			return bad("point not on the curve")
		}
		return nil
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return bad(fmt.Sprintf("needs an Ed25519 key, not %T", pub))
		}
		if err := did.CheckEd25519PublicKey(k); err != nil {
			return wrapError(ErrInvalidKey, "key", "unsafe Ed25519 key", err)
		}
		return nil
	}
	return newError(ErrAlgorithmNotAllowed, "alg", "unsupported algorithm "+quote(string(alg)))
}

// equalKeys reports whether two public keys are the same key.
func equalKeys(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
