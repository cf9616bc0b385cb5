package did

import (
	"errors"

	"github.com/microcred/openbadges/internal/fielderr"
)

// Sentinel errors. Every error returned by this package matches one of them
// with errors.Is, and is an *Error naming the DID (or URL) and the reason.
var (
	// ErrInvalidDID: the string is not a DID or DID URL this package accepts
	// (syntax, unsupported DID URL parts, an IP address in did:web, …).
	ErrInvalidDID = errors.New("did: invalid DID")
	// ErrUnsupportedMethod: no resolver is configured for the DID method (or
	// URL scheme). Network methods are only available when the caller opts in.
	ErrUnsupportedMethod = errors.New("did: unsupported DID method")
	// ErrNotFound: the DID document, or the verification method within it,
	// does not exist (including HTTP 404 and 410 for did:web).
	ErrNotFound = errors.New("did: not found")
	// ErrInvalidDocument: the DID document is malformed, ambiguous, or is not
	// the document of the DID that was resolved.
	ErrInvalidDocument = errors.New("did: invalid DID document")
	// ErrKeyType: the key or verification method type is not supported, or
	// its declared type does not match its key material.
	ErrKeyType = errors.New("did: unsupported key type")
	// ErrInvalidKey: the key material is malformed or unsafe: wrong length,
	// a point not on the curve, a small-order or non-canonical Ed25519 key,
	// an RSA modulus below 2048 bits, private key material where only a
	// public key is allowed.
	ErrInvalidKey = errors.New("did: invalid key")
	// ErrRelationship: the verification method exists but is not listed under
	// the verification relationship asked for (for example it may
	// authenticate but not make assertions).
	ErrRelationship = errors.New("did: verification method not authorized for relationship")
	// ErrFetch: retrieving a document over HTTPS failed (status, size limit,
	// redirect, timeout, TLS, network).
	ErrFetch = errors.New("did: fetch failed")
	// ErrForbiddenAddress: a network resolver refused to connect to a
	// loopback, private, link-local or otherwise non-public address.
	ErrForbiddenAddress = errors.New("did: address not allowed")
	// ErrNetworkRequired: the document of a did:web DID or of an https key
	// URL was asked of an offline resolver (DefaultResolver, or a
	// StaticResolver that does not hold it). It comes with
	// ErrUnsupportedMethod (no resolver for the method) or ErrNotFound (not
	// among the static documents), so that callers can tell their users how
	// to enable network look-ups (NewWebResolver as Methods["web"],
	// NewHTTPSResolver as Methods["https"]) or supply the document
	// (NewStaticResolver, NewPinnedResolver). The message says so in words
	// only: programs show it to people who set flags, not Go fields.
	ErrNetworkRequired = errors.New("did: network look-up required")
)

// Error is the error type returned by this package. Kind (from the embedded
// Detail) is one of the sentinel errors above, Reason the human-readable
// detail and Err, when set, the underlying cause; errors.Is matches Kind and
// Err.
type Error struct {
	DID string // the DID, DID URL or URL concerned
	fielderr.Detail
}

// Error returns "did: <kind>: <DID>: <reason>[: <cause>]".
func (e *Error) Error() string {
	return fielderr.Message(e.Kind, "did: error", fielderr.At(truncate(e.DID, 120)), e.Reason, e.Err)
}

func newError(kind error, id, reason string) *Error {
	return &Error{DID: id, Detail: fielderr.Detail{Kind: kind, Reason: reason}}
}

func wrapError(kind error, id, reason string, cause error) *Error {
	return &Error{DID: id, Detail: fielderr.Detail{Kind: kind, Reason: reason, Err: cause}}
}

// withDID returns err with the DID filled in when err is an *Error that does
// not name one yet; otherwise err itself.
func withDID(err error, id string) error {
	var e *Error
	if errors.As(err, &e) && e.DID == "" {
		c := *e
		c.DID = id
		return &c
	}
	return err
}

// truncate bounds identifiers echoed in error messages: a hostile input may be
// megabytes long.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
