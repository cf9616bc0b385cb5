// Package keys reads and writes the signing key files of the badge command:
// a private JWK whose "kid" is the key's verification method (what "badge
// keygen" writes), or the Multikey form of the W3C test vectors
// ({"publicKeyMultibase": …, "secretKeyMultibase": …} with optional "id" and
// "controller"; "privateKeyMultibase" is accepted as a synonym).
//
// Parse checks that the private and public halves agree and that an
// identifier which encodes a key (did:key, did:jwk) encodes this key, so that
// a credential is never signed under a verification method that cannot verify
// it.
package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/strictjson"
)

// Sentinel errors.
var (
	ErrInvalid     = errors.New("keys: invalid key file")
	ErrUnsupported = errors.New("keys: unsupported key type")
	ErrMismatch    = errors.New("keys: key does not match its identifier")
)

// MaxFileSize bounds a key file.
const MaxFileSize = 64 << 10

// Key is a signing key and the identifiers it signs under.
type Key struct {
	Signer             crypto.Signer    // ed25519.PrivateKey, *ecdsa.PrivateKey or *rsa.PrivateKey
	Public             crypto.PublicKey // Signer.Public()
	DID                string           // the controller, e.g. did:key:z6Mk…
	VerificationMethod string           // e.g. did:key:z6Mk…#z6Mk…, the proof's verificationMethod / JWS kid
	Algorithm          string           // JOSE name: EdDSA, ES256, ES384, RS256, …
}

var b64 = base64.RawURLEncoding.Strict()

// New returns the Key of a signer with derived identifiers: did:key for
// Ed25519, P-256 and P-384 keys, did:jwk (method #0) for RSA keys.
func New(signer crypto.Signer) (*Key, error) {
	if signer == nil {
		return nil, fmt.Errorf("%w: no signer", ErrInvalid)
	}
	k := &Key{Signer: signer, Public: signer.Public()}
	alg, err := defaultAlg(k.Public)
	if err != nil {
		return nil, err
	}
	k.Algorithm = alg
	if _, isRSA := k.Public.(*rsa.PublicKey); isRSA {
		k.DID, k.VerificationMethod, err = did.NewJWKDID(k.Public)
	} else {
		k.DID, k.VerificationMethod, err = did.NewKeyDID(k.Public)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return k, nil
}

// Generate creates a new key of the given type: "ed25519" (the default for
// ""), "p256", "p384" or "rsa" (3072 bits).
func Generate(typ string, random io.Reader) (*Key, error) {
	var s crypto.Signer
	var err error
	switch typ {
	case "", "ed25519":
		_, s, err = ed25519.GenerateKey(random)
	case "p256":
		s, err = ecdsa.GenerateKey(elliptic.P256(), random)
	case "p384":
		s, err = ecdsa.GenerateKey(elliptic.P384(), random)
	case "rsa":
		s, err = rsa.GenerateKey(random, 3072)
	default:
		return nil, fmt.Errorf("%w: %q (want ed25519, p256, p384 or rsa)", ErrUnsupported, typ)
	}
	if err != nil {
		return nil, err
	}
	return New(s)
}

func defaultAlg(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "EdDSA", nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "ES256", nil
		case elliptic.P384():
			return "ES384", nil
		}
	case *rsa.PublicKey:
		return "RS256", nil
	}
	return "", fmt.Errorf("%w: %T", ErrUnsupported, pub)
}

func algAllowed(pub crypto.PublicKey, alg string) bool {
	switch pub.(type) {
	case ed25519.PublicKey:
		return alg == "EdDSA" || alg == "Ed25519"
	case *rsa.PublicKey:
		switch alg {
		case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
			return true
		}
		return false
	}
	d, _ := defaultAlg(pub)
	return alg == d
}

// Parse reads a key file in either format (see the package documentation).
func Parse(data []byte) (*Key, error) {
	v, err := strictjson.Decode(data, strictjson.Options{MaxBytes: MaxFileSize, MaxDepth: 8})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalid)
	}
	str := func(name string) (string, error) {
		x, ok := m[name]
		if !ok {
			return "", nil
		}
		s, ok := x.(string)
		if !ok || s == "" {
			return "", fmt.Errorf("%w: member %q must be a non-empty string", ErrInvalid, name)
		}
		return s, nil
	}
	if _, ok := m["kty"]; ok {
		return parseJWK(m, str)
	}
	return parseMultikey(m, str)
}

type getter func(string) (string, error)

func parseMultikey(m map[string]any, str getter) (*Key, error) {
	secret, err := str("secretKeyMultibase")
	if err != nil {
		return nil, err
	}
	if secret == "" {
		if secret, err = str("privateKeyMultibase"); err != nil {
			return nil, err
		}
	}
	if secret == "" {
		return nil, fmt.Errorf("%w: neither a JWK (\"kty\") nor a Multikey (\"secretKeyMultibase\")", ErrInvalid)
	}
	signer, err := did.DecodeSecretKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	k, err := New(signer)
	if err != nil {
		return nil, err
	}
	pubMB, err := str("publicKeyMultibase")
	if err != nil {
		return nil, err
	}
	if pubMB != "" {
		pub, err := did.DecodePublicKey(pubMB)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Public) {
			return nil, fmt.Errorf("%w: publicKeyMultibase is not the public half of the secret key", ErrMismatch)
		}
	}
	id, err := str("id")
	if err != nil {
		return nil, err
	}
	controller, err := str("controller")
	if err != nil {
		return nil, err
	}
	if err := k.setIdentifiers(id, controller); err != nil {
		return nil, err
	}
	return k, nil
}

// setIdentifiers applies the file's declared verification method id and
// controller, checking them against the key when they encode one.
func (k *Key) setIdentifiers(id, controller string) error {
	if strings.HasPrefix(id, "#") {
		if controller == "" {
			return fmt.Errorf("%w: relative id %q without a controller", ErrInvalid, id)
		}
		id = controller + id
	}
	switch {
	case id == "" && controller == "":
		return nil // derived identifiers
	case id == "":
		if controller != k.DID {
			return fmt.Errorf("%w: controller %q without an id", ErrInvalid, controller)
		}
		return nil
	}
	if !strings.HasPrefix(id, "did:") && !strings.HasPrefix(id, "https://") {
		return fmt.Errorf("%w: id %q is not a DID URL or https URL", ErrInvalid, id)
	}
	base, _, _ := strings.Cut(id, "#")
	if controller == "" {
		controller = base
	}
	if err := checkEncodedKey(id, k.Public); err != nil {
		return err
	}
	k.DID, k.VerificationMethod = controller, id
	return nil
}

// checkEncodedKey verifies that a did:key or did:jwk verification method
// names pub. Other identifiers (did:web, https) cannot be checked offline.
func checkEncodedKey(vmID string, pub crypto.PublicKey) error {
	m, err := did.Method(vmID)
	if err != nil || (m != "key" && m != "jwk") {
		if err != nil && strings.HasPrefix(vmID, "did:") {
			return fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		return nil
	}
	vm, _, err := did.ResolveVerificationMethod(context.Background(), did.DefaultResolver(), vmID, did.AssertionMethod)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	named, err := vm.PublicKey()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if !named.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
		return fmt.Errorf("%w: %s names a different key", ErrMismatch, vmID)
	}
	return nil
}

func parseJWK(m map[string]any, str getter) (*Key, error) {
	for _, name := range []string{"oth", "k"} {
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("%w: JWK member %q is not supported", ErrUnsupported, name)
		}
	}
	get := map[string]string{}
	for _, name := range []string{"kty", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "alg", "kid", "use"} {
		s, err := str(name)
		if err != nil {
			return nil, err
		}
		get[name] = s
	}
	bin := func(name string) ([]byte, error) {
		s := get[name]
		if s == "" {
			return nil, fmt.Errorf("%w: JWK member %q is missing", ErrInvalid, name)
		}
		b, err := b64.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%w: JWK member %q is not canonical base64url", ErrInvalid, name)
		}
		return b, nil
	}
	if get["d"] == "" {
		return nil, fmt.Errorf("%w: the JWK has no private key (\"d\")", ErrInvalid)
	}
	if u := get["use"]; u != "" && u != "sig" {
		return nil, fmt.Errorf("%w: JWK use %q is not \"sig\"", ErrInvalid, u)
	}
	var signer crypto.Signer
	switch kty, crv := get["kty"], get["crv"]; {
	case kty == "OKP" && crv == "Ed25519":
		d, err := bin("d")
		if err != nil {
			return nil, err
		}
		if len(d) != ed25519.SeedSize {
			return nil, fmt.Errorf("%w: Ed25519 \"d\" must be 32 bytes", ErrInvalid)
		}
		signer = ed25519.NewKeyFromSeed(d)
	case kty == "EC" && (crv == "P-256" || crv == "P-384"):
		c := elliptic.P256()
		if crv == "P-384" {
			c = elliptic.P384()
		}
		d, err := bin("d")
		if err != nil {
			return nil, err
		}
		if signer, err = ecdsa.ParseRawPrivateKey(c, d); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	case kty == "RSA":
		var ints [8]*big.Int
		for i, name := range []string{"n", "e", "d", "p", "q", "dp", "dq", "qi"} {
			if i >= 5 && get[name] == "" {
				continue // CRT values are recomputed
			}
			b, err := bin(name)
			if err != nil {
				return nil, err
			}
			ints[i] = new(big.Int).SetBytes(b)
		}
		if !ints[1].IsInt64() || ints[1].Int64() > 1<<31-1 {
			return nil, fmt.Errorf("%w: RSA exponent too large", ErrInvalid)
		}
		priv := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: ints[0], E: int(ints[1].Int64())},
			D:         ints[2],
			Primes:    []*big.Int{ints[3], ints[4]},
		}
		if priv.N.BitLen() < 2048 {
			return nil, fmt.Errorf("%w: RSA keys must have at least 2048 bits", ErrUnsupported)
		}
		if err := priv.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		priv.Precompute()
		for i, v := range []*big.Int{priv.Precomputed.Dp, priv.Precomputed.Dq, priv.Precomputed.Qinv} {
			if ints[5+i] != nil && ints[5+i].Cmp(v) != 0 {
				return nil, fmt.Errorf("%w: RSA CRT parameters do not match the key", ErrMismatch)
			}
		}
		signer = priv
	default:
		return nil, fmt.Errorf("%w: kty %q crv %q", ErrUnsupported, kty, crv)
	}
	k, err := New(signer)
	if err != nil {
		return nil, err
	}
	// The coordinates must be the public half of "d" (an RSA key is read
	// from its public members).
	pub, err := did.JWKFromPublicKey(k.Public)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	for _, c := range [][2]string{{"x", pub.X}, {"y", pub.Y}} {
		if c[1] == "" {
			continue
		}
		if _, err := bin(c[0]); err != nil {
			return nil, err
		}
		if get[c[0]] != c[1] {
			return nil, fmt.Errorf("%w: %q is not the public half of \"d\"", ErrMismatch, c[0])
		}
	}
	if alg := get["alg"]; alg != "" {
		if !algAllowed(k.Public, alg) {
			return nil, fmt.Errorf("%w: alg %q does not fit the key", ErrInvalid, alg)
		}
		k.Algorithm = alg
	}
	if kid := get["kid"]; strings.HasPrefix(kid, "did:") || strings.HasPrefix(kid, "https://") {
		if err := k.setIdentifiers(kid, ""); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// jwkOut fixes the member order of written JWKs.
type jwkOut struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	D   string `json:"d"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid,omitempty"`
}

// MarshalJWK returns k as an indented private JWK with "alg" and "kid" (the
// verification method), followed by a newline: the format Parse reads back.
// The result is secret.
func (k *Key) MarshalJWK() ([]byte, error) {
	pub, err := did.JWKFromPublicKey(k.Public)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	o := jwkOut{Kty: pub.Kty, Crv: pub.Crv, X: pub.X, Y: pub.Y, N: pub.N, E: pub.E, Alg: k.Algorithm, Kid: k.VerificationMethod}
	switch s := k.Signer.(type) {
	case ed25519.PrivateKey:
		o.D = b64.EncodeToString(s.Seed())
	case *ecdsa.PrivateKey:
		d, err := s.Bytes()
		if err != nil {
			return nil, err
		}
		o.D = b64.EncodeToString(d)
	case *rsa.PrivateKey:
		if len(s.Primes) != 2 {
			return nil, fmt.Errorf("%w: multi-prime RSA", ErrUnsupported)
		}
		s.Precompute()
		o.D = b64.EncodeToString(s.D.Bytes())
		o.P = b64.EncodeToString(s.Primes[0].Bytes())
		o.Q = b64.EncodeToString(s.Primes[1].Bytes())
		o.DP = b64.EncodeToString(s.Precomputed.Dp.Bytes())
		o.DQ = b64.EncodeToString(s.Precomputed.Dq.Bytes())
		o.QI = b64.EncodeToString(s.Precomputed.Qinv.Bytes())
	default:
		return nil, fmt.Errorf("%w: cannot export %T (an HSM or KMS key?)", ErrUnsupported, k.Signer)
	}
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
