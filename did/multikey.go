package did

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"

	"github.com/multiformats/go-multibase"
)

// Multicodec headers (unsigned varints) of the key types this package reads
// and writes. Headers are compared as exact byte strings, so a non-minimal
// varint such as ed 81 00 never matches.
var (
	headerEd25519Pub  = []byte{0xed, 0x01} // ed25519-pub 0xed
	headerP256Pub     = []byte{0x80, 0x24} // p256-pub 0x1200
	headerP384Pub     = []byte{0x81, 0x24} // p384-pub 0x1201
	headerEd25519Priv = []byte{0x80, 0x26} // ed25519-priv 0x1300
	headerP256Priv    = []byte{0x86, 0x26} // p256-priv 0x1306
	headerP384Priv    = []byte{0x87, 0x26} // p384-priv 0x1307
)

// Key types recognised only to give a precise error.
var knownUnsupported = []struct {
	header []byte
	name   string
}{
	{[]byte{0xec, 0x01}, "x25519-pub (a key agreement key, not a signing key)"},
	{[]byte{0xe7, 0x01}, "secp256k1-pub"},
	{[]byte{0x82, 0x24}, "p521-pub"},
	{[]byte{0x85, 0x24}, "rsa-pub"},
	{[]byte{0xeb, 0x01}, "bls12_381-g2-pub"},
	{headerEd25519Priv, "ed25519-priv (private key material)"},
	{headerP256Priv, "p256-priv (private key material)"},
	{headerP384Priv, "p384-priv (private key material)"},
}

// maxMultibaseLen bounds encoded keys before base58 decoding, whose cost is
// quadratic in the input length. The longest key handled here (a P-384 secret
// key with header) is well under 100 characters.
const maxMultibaseLen = 256

// EncodePublicKey returns the Multikey encoding of pub: base58btc multibase
// ('z') of the multicodec header and the key bytes. Ed25519 keys (header
// 0xed01, 32 bytes), P-256 (0x8024) and P-384 (0x8124) keys as compressed
// points are supported.
func EncodePublicKey(pub crypto.PublicKey) (string, error) {
	var data []byte
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if err := CheckEd25519PublicKey(k); err != nil {
			return "", err
		}
		data = append(append(data, headerEd25519Pub...), k...)
	case *ecdsa.PublicKey:
		var h []byte
		switch k.Curve {
		case elliptic.P256():
			h = headerP256Pub
		case elliptic.P384():
			h = headerP384Pub
		default:
			return "", newError(ErrKeyType, "", "unsupported ECDSA curve")
		}
		c, err := compressPoint(k)
		if err != nil {
			return "", err
		}
		data = append(append(data, h...), c...)
	default:
		return "", newError(ErrKeyType, "", fmt.Sprintf("cannot encode %T as a Multikey", pub))
	}
	return multibase.Encode(multibase.Base58BTC, data)
}

// DecodePublicKey decodes a Multikey publicKeyMultibase value. It accepts
// only base58btc ('z') and the Ed25519, P-256 and P-384 public key headers,
// checks the exact key length, rejects unsafe Ed25519 keys (see
// CheckEd25519PublicKey) and points not on the curve. It returns an
// ed25519.PublicKey or an *ecdsa.PublicKey.
func DecodePublicKey(s string) (crypto.PublicKey, error) {
	data, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(data, headerEd25519Pub):
		k := data[len(headerEd25519Pub):]
		if err := CheckEd25519PublicKey(k); err != nil {
			return nil, err
		}
		return ed25519.PublicKey(bytes.Clone(k)), nil
	case bytes.HasPrefix(data, headerP256Pub):
		return decodeCompressed(elliptic.P256(), data[len(headerP256Pub):])
	case bytes.HasPrefix(data, headerP384Pub):
		return decodeCompressed(elliptic.P384(), data[len(headerP384Pub):])
	}
	return nil, unsupportedHeader(data)
}

// DecodeSecretKey decodes a Multikey secretKeyMultibase value. An Ed25519
// secret key may be the 32-byte seed (the standard form) or the 64-byte
// seed‖public key form some publishers use; in the latter case the public
// half must match the seed. It returns an ed25519.PrivateKey or an
// *ecdsa.PrivateKey.
func DecodeSecretKey(s string) (crypto.Signer, error) {
	data, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(data, headerEd25519Priv):
		k := data[len(headerEd25519Priv):]
		switch len(k) {
		case ed25519.SeedSize:
			return ed25519.NewKeyFromSeed(k), nil
		case ed25519.PrivateKeySize:
			priv := ed25519.NewKeyFromSeed(k[:ed25519.SeedSize])
			if !bytes.Equal(priv[ed25519.SeedSize:], k[ed25519.SeedSize:]) {
				return nil, newError(ErrInvalidKey, "", "Ed25519 secret key: public half does not match the seed")
			}
			return priv, nil
		}
		return nil, newError(ErrInvalidKey, "", fmt.Sprintf("Ed25519 secret key is %d bytes, want 32 or 64", len(k)))
	case bytes.HasPrefix(data, headerP256Priv):
		return decodeScalar(elliptic.P256(), data[len(headerP256Priv):])
	case bytes.HasPrefix(data, headerP384Priv):
		return decodeScalar(elliptic.P384(), data[len(headerP384Priv):])
	}
	return nil, newError(ErrKeyType, "", "not a supported Multikey secret key")
}

func decodeMultibase(s string) ([]byte, error) {
	if len(s) > maxMultibaseLen {
		return nil, newError(ErrInvalidKey, "", "multibase value too long")
	}
	if len(s) < 2 || s[0] != 'z' {
		return nil, newError(ErrInvalidKey, "", "Multikey value must be base58btc multibase (start with 'z')")
	}
	enc, data, err := multibase.Decode(s)
	if err != nil || enc != multibase.Base58BTC {
		return nil, wrapError(ErrInvalidKey, "", "invalid base58btc", err)
	}
	return data, nil
}

func unsupportedHeader(data []byte) error {
	for _, u := range knownUnsupported {
		if bytes.HasPrefix(data, u.header) {
			return newError(ErrKeyType, "", "unsupported Multikey type "+u.name)
		}
	}
	return newError(ErrKeyType, "", "unknown Multikey header")
}

func decodeCompressed(c elliptic.Curve, b []byte) (*ecdsa.PublicKey, error) {
	size := (c.Params().BitSize + 7) / 8
	if len(b) != 1+size {
		return nil, newError(ErrInvalidKey, "", fmt.Sprintf("%s public key is %d bytes, want %d (compressed point)", c.Params().Name, len(b), 1+size))
	}
	if b[0] != 2 && b[0] != 3 {
		return nil, newError(ErrInvalidKey, "", c.Params().Name+" public key is not a compressed point")
	}
	x, y := elliptic.UnmarshalCompressed(c, b)
	if x == nil {
		return nil, newError(ErrInvalidKey, "", c.Params().Name+" public key is not a point on the curve")
	}
	// Build the uncompressed form so that crypto/ecdsa checks the point too.
	u := make([]byte, 1+2*size)
	u[0] = 4
	x.FillBytes(u[1 : 1+size])
	y.FillBytes(u[1+size:])
	k, err := ecdsa.ParseUncompressedPublicKey(c, u)
	if err != nil {
		return nil, wrapError(ErrInvalidKey, "", "invalid "+c.Params().Name+" public key", err)
	}
	return k, nil
}

// compressPoint returns the SEC 1 compressed encoding of k.
func compressPoint(k *ecdsa.PublicKey) ([]byte, error) {
	u, err := k.Bytes() // 04 ‖ x ‖ y; fails on invalid points
	if err != nil {
		return nil, wrapError(ErrInvalidKey, "", "invalid ECDSA public key", err)
	}
	size := (len(u) - 1) / 2
	c := make([]byte, 1+size)
	c[0] = 2 | u[len(u)-1]&1
	copy(c[1:], u[1:1+size])
	return c, nil
}

func decodeScalar(c elliptic.Curve, b []byte) (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.ParseRawPrivateKey(c, b)
	if err != nil {
		return nil, wrapError(ErrInvalidKey, "", "invalid "+c.Params().Name+" secret key", err)
	}
	return k, nil
}
