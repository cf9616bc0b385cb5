package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
)

// RSA modulus bounds. Below 2048 bits RSA is too weak for new signatures;
// above 8192 bits verification becomes a cheap way to burn CPU.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// maxJWKSize bounds an encoded JWK (an 8192-bit RSA key is about 1.5 KB).
const maxJWKSize = 8 << 10

// privateJWKMembers are the JWK members that carry private or symmetric key
// material (RFC 7518 §6.2.2, §6.3.2, §6.4.1). A public JWK must have none.
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// b64 is strict base64url without padding: it rejects '=' padding and
// non-zero trailing bits, so that each value has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

// JWK is a public JSON Web Key (RFC 7517) as found in publicKeyJwk and in
// did:jwk. Only the members this package uses are kept. Parsing is strict:
// members must be strings (key_ops an array of strings), base64url values
// canonical, and private key members are rejected.
type JWK struct {
	Kty    string   `json:"kty"`
	Crv    string   `json:"crv,omitempty"`
	X      string   `json:"x,omitempty"`
	Y      string   `json:"y,omitempty"`
	N      string   `json:"n,omitempty"`
	E      string   `json:"e,omitempty"`
	Alg    string   `json:"alg,omitempty"`
	Use    string   `json:"use,omitempty"`
	KeyOps []string `json:"key_ops,omitempty"`
	Kid    string   `json:"kid,omitempty"`
}

// ParseJWK parses a public JWK strictly (see JWK). The key material itself is
// checked by PublicKey.
func ParseJWK(data []byte) (*JWK, error) {
	if len(data) > maxJWKSize {
		return nil, newError(ErrInvalidKey, "", "JWK too large")
	}
	m, err := decodeObject(data)
	if err != nil {
		return nil, wrapError(ErrInvalidKey, "", "malformed JWK", err)
	}
	return jwkFromMap(m)
}

// UnmarshalJSON implements json.Unmarshaler with the checks of ParseJWK.
func (j *JWK) UnmarshalJSON(data []byte) error {
	k, err := ParseJWK(data)
	if err != nil {
		return err
	}
	*j = *k
	return nil
}

func jwkFromMap(m map[string]json.RawMessage) (*JWK, error) {
	for _, p := range privateJWKMembers {
		if _, ok := m[p]; ok {
			return nil, newError(ErrInvalidKey, "", fmt.Sprintf("JWK contains private key member %q", p))
		}
	}
	j := &JWK{}
	fields := []struct {
		name string
		dst  *string
		b64  bool
	}{
		{"kty", &j.Kty, false}, {"crv", &j.Crv, false}, {"x", &j.X, true}, {"y", &j.Y, true},
		{"n", &j.N, true}, {"e", &j.E, true}, {"alg", &j.Alg, false}, {"use", &j.Use, false},
		{"kid", &j.Kid, false},
	}
	for _, f := range fields {
		s, _, err := getString(m, f.name)
		if err != nil {
			return nil, wrapError(ErrInvalidKey, "", "JWK", err)
		}
		if f.b64 && s != "" {
			if _, err := b64.DecodeString(s); err != nil {
				return nil, newError(ErrInvalidKey, "", fmt.Sprintf("JWK member %q is not canonical base64url", f.name))
			}
		}
		*f.dst = s
	}
	if raw, ok := m["key_ops"]; ok {
		if err := json.Unmarshal(raw, &j.KeyOps); err != nil || j.KeyOps == nil {
			return nil, newError(ErrInvalidKey, "", `JWK member "key_ops" is not an array of strings`)
		}
	}
	if j.Kty == "" {
		return nil, newError(ErrInvalidKey, "", `JWK has no "kty"`)
	}
	return j, nil
}

// PublicKey returns the signature verification key of j: an
// ed25519.PublicKey, an *ecdsa.PublicKey (P-256, P-384) or an *rsa.PublicKey
// (at least 2048 bits). It checks kty/crv/alg consistency, exact coordinate
// lengths, that points are on the curve, that Ed25519 keys are not small
// order, and that the key is meant for signatures ("use" and "key_ops").
func (j *JWK) PublicKey() (crypto.PublicKey, error) {
	if j == nil {
		return nil, newError(ErrInvalidKey, "", "no JWK")
	}
	if j.Use != "" && j.Use != "sig" {
		return nil, newError(ErrKeyType, "", fmt.Sprintf("JWK use %q is not \"sig\"", j.Use))
	}
	if j.KeyOps != nil && !slices.Contains(j.KeyOps, "verify") {
		return nil, newError(ErrKeyType, "", `JWK key_ops does not include "verify"`)
	}
	switch j.Kty {
	case "OKP":
		if j.Y != "" || j.N != "" || j.E != "" {
			return nil, newError(ErrInvalidKey, "", "OKP JWK has EC or RSA members")
		}
		switch j.Crv {
		case "Ed25519":
		case "X25519":
			return nil, newError(ErrKeyType, "", "X25519 is a key agreement key, not a signing key")
		default:
			return nil, newError(ErrKeyType, "", fmt.Sprintf("unsupported OKP curve %q", j.Crv))
		}
		if err := checkAlg(j.Alg, "EdDSA", "Ed25519"); err != nil {
			return nil, err
		}
		x, _ := b64.DecodeString(j.X)
		if err := CheckEd25519PublicKey(x); err != nil {
			return nil, err
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		if j.N != "" || j.E != "" {
			return nil, newError(ErrInvalidKey, "", "EC JWK has RSA members")
		}
		var c elliptic.Curve
		switch j.Crv {
		case "P-256":
			c = elliptic.P256()
			if err := checkAlg(j.Alg, "ES256"); err != nil {
				return nil, err
			}
		case "P-384":
			c = elliptic.P384()
			if err := checkAlg(j.Alg, "ES384"); err != nil {
				return nil, err
			}
		default:
			return nil, newError(ErrKeyType, "", fmt.Sprintf("unsupported EC curve %q", j.Crv))
		}
		size := (c.Params().BitSize + 7) / 8
		x, _ := b64.DecodeString(j.X)
		y, _ := b64.DecodeString(j.Y)
		if len(x) != size || len(y) != size {
			return nil, newError(ErrInvalidKey, "", fmt.Sprintf("%s JWK coordinates must be %d bytes each", j.Crv, size))
		}
		u := make([]byte, 0, 1+2*size)
		u = append(append(append(u, 4), x...), y...)
		k, err := ecdsa.ParseUncompressedPublicKey(c, u)
		if err != nil {
			return nil, wrapError(ErrInvalidKey, "", j.Crv+" JWK is not a point on the curve", err)
		}
		return k, nil
	case "RSA":
		if j.Crv != "" || j.X != "" || j.Y != "" {
			return nil, newError(ErrInvalidKey, "", "RSA JWK has EC or OKP members")
		}
		if err := checkAlg(j.Alg, "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"); err != nil {
			return nil, err
		}
		n, _ := b64.DecodeString(j.N)
		e, _ := b64.DecodeString(j.E)
		return rsaPublicKey(n, e)
	case "oct":
		return nil, newError(ErrKeyType, "", "symmetric (oct) JWKs are not public keys")
	}
	return nil, newError(ErrKeyType, "", fmt.Sprintf("unsupported JWK kty %q", j.Kty))
}

func checkAlg(alg string, allowed ...string) error {
	if alg == "" || slices.Contains(allowed, alg) {
		return nil
	}
	return newError(ErrKeyType, "", fmt.Sprintf("JWK alg %q does not match its key type", alg))
}

func rsaPublicKey(n, e []byte) (*rsa.PublicKey, error) {
	if len(n) == 0 || n[0] == 0 || len(e) == 0 || e[0] == 0 || len(e) > 4 {
		return nil, newError(ErrInvalidKey, "", "RSA JWK has a missing or non-minimal modulus or exponent")
	}
	nn := new(big.Int).SetBytes(n)
	if bits := nn.BitLen(); bits < minRSABits || bits > maxRSABits {
		return nil, newError(ErrInvalidKey, "", fmt.Sprintf("RSA modulus is %d bits, want %d to %d", bits, minRSABits, maxRSABits))
	}
	var ee int
	for _, b := range e {
		ee = ee<<8 | int(b)
	}
	if ee < 3 || ee%2 == 0 || nn.Bit(0) == 0 {
		return nil, newError(ErrInvalidKey, "", "RSA exponent or modulus is invalid")
	}
	return &rsa.PublicKey{N: nn, E: ee}, nil
}

// JWKFromPublicKey returns the public JWK of pub (ed25519.PublicKey,
// *ecdsa.PublicKey on P-256 or P-384, or *rsa.PublicKey of at least 2048
// bits), with only the required members.
func JWKFromPublicKey(pub crypto.PublicKey) (*JWK, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if err := CheckEd25519PublicKey(k); err != nil {
			return nil, err
		}
		return &JWK{Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		var crv string
		switch k.Curve {
		case elliptic.P256():
			crv = "P-256"
		case elliptic.P384():
			crv = "P-384"
		default:
			return nil, newError(ErrKeyType, "", "unsupported ECDSA curve")
		}
		u, err := k.Bytes()
		if err != nil {
			return nil, wrapError(ErrInvalidKey, "", "invalid ECDSA public key", err)
		}
		size := (len(u) - 1) / 2
		return &JWK{Kty: "EC", Crv: crv, X: b64.EncodeToString(u[1 : 1+size]), Y: b64.EncodeToString(u[1+size:])}, nil
	case *rsa.PublicKey:
		if k.N == nil || k.N.BitLen() < minRSABits || k.N.BitLen() > maxRSABits {
			return nil, newError(ErrInvalidKey, "", "RSA key size out of range")
		}
		e := big.NewInt(int64(k.E)).Bytes()
		return &JWK{Kty: "RSA", N: b64.EncodeToString(k.N.Bytes()), E: b64.EncodeToString(e)}, nil
	}
	return nil, newError(ErrKeyType, "", fmt.Sprintf("unsupported public key type %T", pub))
}

// canonicalJSON returns j's members in lexicographic order (as JCS would),
// so that the same key gives the same did:jwk.
func (j *JWK) canonicalJSON() []byte {
	m := map[string]any{"kty": j.Kty}
	for k, v := range map[string]string{"crv": j.Crv, "x": j.X, "y": j.Y, "n": j.N, "e": j.E, "alg": j.Alg, "use": j.Use, "kid": j.Kid} {
		if v != "" {
			m[k] = v
		}
	}
	if j.KeyOps != nil {
		m["key_ops"] = j.KeyOps
	}
	b, _ := json.Marshal(m) // map keys are sorted; strings always marshal
	return b
}
