package did

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Resolver resolves a DID (or, for resolvers of controller documents, an
// https URL without fragment) to its document. Implementations must be safe
// for concurrent use, and must return documents whose ID is the requested
// DID and which the caller may modify.
type Resolver interface {
	Resolve(ctx context.Context, did string) (*Document, error)
}

// Methods routes resolution by DID method name ("key", "jwk", "web", …);
// the key "https" routes https URLs. A method without an entry fails with
// ErrUnsupportedMethod. Methods is read-only once in use.
type Methods map[string]Resolver

// Resolve implements Resolver.
func (m Methods) Resolve(ctx context.Context, did string) (*Document, error) {
	name := "https"
	if !strings.HasPrefix(did, "https://") {
		var err error
		if name, err = Method(did); err != nil {
			return nil, err
		}
	}
	r, ok := m[name]
	if !ok || r == nil {
		return nil, unavailable(ErrUnsupportedMethod, did, fmt.Sprintf("no resolver configured for %q", name))
	}
	return r.Resolve(ctx, did)
}

// unavailable is the error of an offline resolver that cannot answer for id.
// For a did:web DID or an https URL it explains, and marks with
// ErrNetworkRequired, that the document is only to be had over the network
// and how a caller gets it: verifiers run offline by default, so this is the
// usual first failure with such issuers, and the plain reason leaves the way
// out to be guessed. It names no Go API: programs (such as the badge
// command) show it to people who set flags, not fields; ErrNetworkRequired's
// documentation says what a program does.
func unavailable(kind error, id, reason string) error {
	switch {
	case strings.HasPrefix(id, "did:web:"):
		return wrapError(kind, id, reason+"; a did:web document, and so its keys, cannot be had offline: "+
			"network look-ups must be allowed, or the DID document supplied", ErrNetworkRequired)
	case strings.HasPrefix(id, "https://"):
		return wrapError(kind, id, reason+"; a key or controller document published at an https URL cannot be had offline: "+
			"network look-ups must be allowed, or the document supplied", ErrNetworkRequired)
	}
	return newError(kind, id, reason)
}

// DefaultResolver returns the offline resolver: did:key (Multikey format) and
// did:jwk. It never touches the network; add a WebResolver or HTTPSResolver
// to a Methods map to opt in to network look-ups. Asked for a did:web DID or
// an https URL, it fails with an error matching ErrNetworkRequired.
func DefaultResolver() Resolver {
	return Methods{"key": KeyResolver{}, "jwk": JWKResolver{}}
}

// StaticResolver serves documents given by the caller: tests, pinned
// issuers, offline use. Its ids may be DIDs of any method or https URLs.
// Asked for a did:web DID or an https URL it does not hold, it fails with an
// error matching both ErrNotFound and ErrNetworkRequired.
type StaticResolver struct {
	docs map[string]*Document
}

// NewStaticResolver returns a resolver for the given documents. Documents are
// copied; two documents with the same id are an error.
func NewStaticResolver(docs ...*Document) (*StaticResolver, error) {
	s := &StaticResolver{docs: make(map[string]*Document, len(docs))}
	for _, d := range docs {
		if d == nil || checkDocumentID(d.ID) != nil {
			return nil, newError(ErrInvalidDocument, "", "static document without a valid id")
		}
		if _, dup := s.docs[d.ID]; dup {
			return nil, newError(ErrInvalidDocument, d.ID, "given twice")
		}
		s.docs[d.ID] = d.Clone()
	}
	return s, nil
}

// Resolve implements Resolver.
func (s *StaticResolver) Resolve(ctx context.Context, did string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d, ok := s.docs[did]
	if !ok {
		return nil, unavailable(ErrNotFound, did, "not among the static documents")
	}
	return d.Clone(), nil
}

// ResolveVerificationMethod is the one call a verifier needs: it dereferences
// a verification method URL and checks that the method may be used for rel.
//
// For a DID URL (did:…#fragment) it resolves the DID with r, requires the
// document id to equal the DID, and finds the method with
// Document.VerificationMethod (listed under rel, id within the document,
// controller equal to the DID). A bare did:key or did:jwk DID without
// fragment stands for its single key. For an https URL, r must route https
// (an HTTPSResolver in a Methods map, or a StaticResolver); the URL without
// fragment is resolved to a controller document (or a bare JWK, which
// HTTPSResolver presents as a one-method document) and checked the same way.
//
// It returns the method and the document it came from. Errors are *Error
// values matching the sentinels of this package, or the context's error.
func ResolveVerificationMethod(ctx context.Context, r Resolver, vmURL string, rel Relationship) (vm *VerificationMethod, doc *Document, err error) {
	defer func() {
		// Resolvers are given hostile input; never let a bug in one become a
		// crash of the verifier.
		if p := recover(); p != nil {
			vm, doc, err = nil, nil, newError(ErrInvalidDocument, vmURL, fmt.Sprintf("internal error: %v", p))
		}
	}()
	if r == nil {
		r = DefaultResolver()
	}
	if len(vmURL) > maxDIDLength {
		return nil, nil, newError(ErrInvalidDID, vmURL, "too long")
	}
	var base, fragment string
	switch {
	case strings.HasPrefix(vmURL, "did:"):
		if base, fragment, err = splitDIDURL(vmURL); err != nil {
			return nil, nil, err
		}
	case strings.HasPrefix(vmURL, "https://"):
		base, fragment, _ = strings.Cut(vmURL, "#")
		if strings.Contains(vmURL, "#") && fragment == "" {
			return nil, nil, newError(ErrInvalidDID, vmURL, "empty fragment")
		}
	default:
		return nil, nil, newError(ErrInvalidDID, vmURL, "verification method must be a DID URL or an https URL")
	}
	doc, err = r.Resolve(ctx, base)
	if err != nil {
		return nil, nil, err
	}
	if doc == nil || doc.ID != base {
		got := ""
		if doc != nil {
			got = doc.ID
		}
		return nil, nil, newError(ErrInvalidDocument, base, fmt.Sprintf("resolved document has id %q", truncate(got, 120)))
	}
	id := vmURL
	if fragment == "" {
		// A bare DID names a verification method only for single-key
		// methods; an https URL without fragment may itself be the method id
		// (a published JWK).
		if _, err := doc.Method(vmURL); err != nil {
			if !errors.Is(err, ErrNotFound) {
				return nil, nil, err
			}
			m, _ := Method(base)
			if (m != "key" && m != "jwk") || len(doc.VerificationMethods) != 1 {
				return nil, nil, newError(ErrNotFound, vmURL, "no verification method with this id")
			}
			id = doc.VerificationMethods[0].ID
		}
	}
	vm, err = doc.VerificationMethod(id, rel)
	if err != nil {
		return nil, nil, err
	}
	return vm, doc, nil
}
