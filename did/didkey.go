package did

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"strings"
)

// KeyFormat selects how KeyResolver presents an Ed25519 did:key.
type KeyFormat int

const (
	// FormatMultikey presents the key as a Multikey verification method
	// (the did:key specification's default; what eddsa-rdfc-2022 and
	// eddsa-jcs-2022 verifiers expect).
	FormatMultikey KeyFormat = iota
	// FormatEd25519VerificationKey2020 presents an Ed25519 key as an
	// Ed25519VerificationKey2020 method, which the legacy
	// Ed25519Signature2020 suite requires. Other key types are still given
	// as Multikey.
	FormatEd25519VerificationKey2020
)

// KeyResolver resolves did:key DIDs (Ed25519, P-256 and P-384 keys) offline,
// following the did:key specification's Read algorithm: the key is decoded
// from the DID (base58btc, exact multicodec header, exact length, valid and
// safe point) and offered under authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation. No X25519 key agreement key
// is derived. The zero value uses FormatMultikey.
type KeyResolver struct {
	Format KeyFormat
}

// Resolve implements Resolver for did:key.
func (r KeyResolver) Resolve(ctx context.Context, did string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return KeyDocument(did, r.Format)
}

// KeyDocument returns the DID document of a did:key DID, presented in the
// given format. Errors match ErrInvalidDID, ErrKeyType or ErrInvalidKey and
// name the DID.
func KeyDocument(did string, format KeyFormat) (*Document, error) {
	method, msid, err := parseDID(did)
	if err != nil {
		return nil, err
	}
	if method != "key" {
		return nil, newError(ErrUnsupportedMethod, did, "not a did:key DID")
	}
	// did:key:<mb-value>; the spec's optional version prefix ("1:") and any
	// other ':' are not accepted.
	if strings.Contains(msid, ":") || strings.Contains(msid, "%") || !strings.HasPrefix(msid, "z") {
		return nil, newError(ErrInvalidDID, did, "did:key value must be a single base58btc multibase string")
	}
	pub, err := DecodePublicKey(msid)
	if err != nil {
		return nil, withDID(err, did)
	}
	vmID := did + "#" + msid
	vm := VerificationMethod{ID: vmID, Type: TypeMultikey, Controller: did, PublicKeyMultibase: msid}
	ctxs := []string{ContextDIDv1, ContextMultikey}
	if _, ok := pub.(ed25519.PublicKey); ok && format == FormatEd25519VerificationKey2020 {
		vm.Type = TypeEd25519VerificationKey2020
		ctxs = []string{ContextDIDv1, ContextEd25519}
	}
	c, _ := json.Marshal(ctxs)
	ref := []MethodRef{{ID: vmID}}
	return &Document{
		Context:              c,
		ID:                   did,
		VerificationMethods:  []VerificationMethod{vm},
		Authentication:       ref,
		AssertionMethod:      append([]MethodRef(nil), ref...),
		CapabilityInvocation: append([]MethodRef(nil), ref...),
		CapabilityDelegation: append([]MethodRef(nil), ref...),
	}, nil
}

// NewKeyDID returns the did:key DID of a public key (ed25519.PublicKey or an
// *ecdsa.PublicKey on P-256 or P-384) and the id of its verification method,
// did#<multibase>, which is what a proof's verificationMethod should name.
func NewKeyDID(pub crypto.PublicKey) (did, vmID string, err error) {
	mb, err := EncodePublicKey(pub)
	if err != nil {
		return "", "", err
	}
	did = "did:key:" + mb
	return did, did + "#" + mb, nil
}
