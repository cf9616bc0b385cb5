package did

import (
	"context"
	"crypto"
	"encoding/json"
	"strings"
)

// JWKResolver resolves did:jwk DIDs offline (github.com/quartzjer/did-jwk):
// the method-specific id is the canonical base64url encoding of a public JWK.
// Private members (d, p, q, dp, dq, qi, oth, k) are rejected, and the key is
// checked as by JWK.PublicKey. The single verification method is "#0". A key
// with "use":"enc" is offered only for keyAgreement; a key with "use":"sig",
// for everything but keyAgreement; otherwise for all relationships, as the
// method specifies.
type JWKResolver struct{}

// Resolve implements Resolver for did:jwk.
func (JWKResolver) Resolve(ctx context.Context, did string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return JWKDocument(did)
}

// JWKDocument returns the DID document of a did:jwk DID.
func JWKDocument(did string) (*Document, error) {
	method, msid, err := parseDID(did)
	if err != nil {
		return nil, err
	}
	if method != "jwk" {
		return nil, newError(ErrUnsupportedMethod, did, "not a did:jwk DID")
	}
	if strings.ContainsAny(msid, ":%.") {
		return nil, newError(ErrInvalidDID, did, "did:jwk value must be base64url")
	}
	data, err := b64.DecodeString(msid)
	if err != nil {
		return nil, wrapError(ErrInvalidDID, did, "did:jwk value is not canonical base64url", err)
	}
	j, err := ParseJWK(data)
	if err != nil {
		return nil, withDID(err, did)
	}
	// Validate the key now, so that a bad key fails resolution. An X25519
	// key agreement key is checked for length only; other keys with
	// "use":"enc" get the signing-key checks with the use ignored.
	if j.Use == "enc" && j.Kty == "OKP" && j.Crv == "X25519" {
		x, _ := b64.DecodeString(j.X)
		if len(x) != 32 || j.Y != "" || j.N != "" || j.E != "" {
			return nil, newError(ErrInvalidKey, did, "X25519 JWK must have a 32-byte x and nothing else")
		}
	} else {
		probe := *j
		if probe.Use == "enc" {
			probe.Use, probe.KeyOps = "", nil
		}
		if _, err := probe.PublicKey(); err != nil {
			return nil, withDID(err, did)
		}
	}
	vmID := did + "#0"
	ref := []MethodRef{{ID: vmID}}
	d := &Document{
		ID:                  did,
		VerificationMethods: []VerificationMethod{{ID: vmID, Type: TypeJSONWebKey2020, Controller: did, PublicKeyJWK: j}},
	}
	d.Context, _ = json.Marshal([]string{ContextDIDv1, ContextJWS2020})
	if j.Use != "enc" {
		d.AssertionMethod = ref
		d.Authentication = append([]MethodRef(nil), ref...)
		d.CapabilityInvocation = append([]MethodRef(nil), ref...)
		d.CapabilityDelegation = append([]MethodRef(nil), ref...)
	}
	if j.Use != "sig" {
		d.KeyAgreement = append([]MethodRef(nil), ref...)
	}
	return d, nil
}

// NewJWKDID returns the did:jwk DID of a public key (Ed25519, P-256, P-384
// or RSA of at least 2048 bits) and its verification method id, did#0. The
// JWK holds only the required members in lexicographic order, so the same key
// always gives the same DID.
func NewJWKDID(pub crypto.PublicKey) (did, vmID string, err error) {
	j, err := JWKFromPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	did = "did:jwk:" + b64.EncodeToString(j.canonicalJSON())
	return did, did + "#0", nil
}
