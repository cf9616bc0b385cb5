package did

import (
	"context"
	"encoding/json"
	"errors"
)

// PinnedResolver answers from documents the caller pins (read from files,
// say) and asks another resolver for every other DID or URL, so that a
// verifier can run offline for the issuers it knows and still resolve
// did:key and did:jwk, or, when the caller allows it, the network.
type PinnedResolver struct {
	pinned *StaticResolver
	next   Resolver
}

// NewPinnedResolver returns a resolver that serves docs (copied; two with
// the same id are an error) and asks next for the others. A nil next means
// DefaultResolver().
func NewPinnedResolver(next Resolver, docs ...*Document) (*PinnedResolver, error) {
	s, err := NewStaticResolver(docs...)
	if err != nil {
		return nil, err
	}
	if next == nil {
		next = DefaultResolver()
	}
	return &PinnedResolver{pinned: s, next: next}, nil
}

// Resolve implements Resolver: a pinned document if there is one, otherwise
// whatever next answers.
func (p *PinnedResolver) Resolve(ctx context.Context, id string) (*Document, error) {
	d, err := p.pinned.Resolve(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return p.next.Resolve(ctx, id)
	}
	return d, err
}

// KeyURLDocument presents data, a bare public JWK published at url (an https
// key URL without fragment, as Open Badges 3.0 allows), as the controller
// document HTTPSResolver makes of it: {id: url, verificationMethod: [{id:
// url, type: JsonWebKey, controller: url, publicKeyJwk}]}, the method listed
// under assertionMethod and authentication. It lets a caller pin such a key
// (NewPinnedResolver, NewStaticResolver) and have it checked exactly as if
// it had been fetched.
func KeyURLDocument(url string, data []byte) (*Document, error) {
	if err := checkHTTPSURL(url); err != nil {
		return nil, err
	}
	m, err := decodeObject(data)
	if err != nil {
		return nil, wrapError(ErrInvalidDocument, url, "malformed JSON", err)
	}
	return keyURLDocument(url, m)
}

// keyURLDocument is KeyURLDocument for a decoded JWK.
func keyURLDocument(url string, m map[string]json.RawMessage) (*Document, error) {
	j, err := jwkFromMap(m)
	if err != nil {
		return nil, withDID(err, url)
	}
	if _, err := j.PublicKey(); err != nil {
		return nil, withDID(err, url)
	}
	ref := []MethodRef{{ID: url}}
	d := &Document{
		ID:                  url,
		VerificationMethods: []VerificationMethod{{ID: url, Type: TypeJSONWebKey, Controller: url, PublicKeyJWK: j}},
		AssertionMethod:     ref,
		Authentication:      append([]MethodRef(nil), ref...),
	}
	d.Context, _ = json.Marshal([]string{"https://www.w3.org/ns/cid/v1"})
	return d, nil
}
