// Package did answers the verifier's question "which key may sign for this
// issuer?": it turns a verification method reference (a DID URL such as
// did:key:z6Mk…#z6Mk…, or an https key URL) into a public key, after checking
// that the key's controller authorizes it for the purpose at hand.
//
// # Pieces
//
//   - Document, VerificationMethod, JWK: DID Core documents (and controller
//     documents at https URLs), parsed strictly by ParseDocument.
//   - Multikey encoding: EncodePublicKey, DecodePublicKey, and
//     DecodeSecretKey for key files (Ed25519, P-256, P-384).
//   - Resolvers behind one interface, Resolver: KeyResolver (did:key),
//     JWKResolver (did:jwk), WebResolver (did:web), HTTPSResolver (https key
//     URLs), StaticResolver (caller-supplied documents), and Methods, which
//     routes by method. DefaultResolver is did:key and did:jwk, offline.
//   - ResolveVerificationMethod: the one call a verifier makes.
//   - NewKeyDID, NewJWKDID: identifiers for a key.
//
// # Security model
//
// Everything a resolver reads is untrusted: DIDs and URLs come from the
// credential being verified, documents from servers the attacker may control.
// The package therefore:
//
//   - never touches the network unless the caller builds a network resolver
//     (NewWebResolver, NewHTTPSResolver); DefaultResolver is offline;
//   - fetches over HTTPS only, with a timeout, a response size limit
//     (256 KiB), same-origin redirects only, and no connections to loopback,
//     private, link-local, CGNAT, multicast or reserved addresses — checked
//     on the address actually dialed, so DNS rebinding cannot get round it —
//     unless the caller sets HTTPConfig.InsecureAllowPrivateNetworks;
//   - builds did:web URLs from validated parts (no IP addresses, no
//     percent-escapes other than the port's %3A, no dot segments), and
//     requires the fetched document's id to equal the DID;
//   - parses JSON strictly (valid UTF-8, no duplicate members, members read
//     by exact name, bounded depth and size) so that it reads documents the
//     way any other implementation would;
//   - checks key material before any cryptographic call can panic or be
//     fooled: exact lengths, exact multicodec headers, points on the curve,
//     Ed25519 keys that are neither small-order (with which one signature
//     verifies every message under crypto/ed25519) nor non-canonically
//     encoded (CheckEd25519PublicKey), RSA moduli of at least 2048 bits,
//     JWKs whose kty, crv and alg agree and which carry no private members;
//   - accepts a verification method for a relationship only when the
//     resolved document lists it under that relationship, the method's id
//     belongs to the document, and its controller is the document's id — so
//     that a document cannot lend authority over another identifier's keys;
//   - caches by the exact DID string, for a bounded time, copying documents
//     in and out, never caches failures caused by the caller's context, and
//     coalesces concurrent look-ups of the same DID into one request.
//
// Every error is an *Error that names the DID or URL and the reason, and
// matches one of the sentinels (ErrNotFound, ErrInvalidDID,
// ErrUnsupportedMethod, ErrInvalidDocument, ErrKeyType, ErrInvalidKey,
// ErrRelationship, ErrFetch, ErrForbiddenAddress) with errors.Is. An offline
// resolver asked for a did:web DID or an https key URL also matches
// ErrNetworkRequired, and says how to opt in to network look-ups or supply
// the document. No input makes the package panic.
//
// What it does not do: DID URL paths and queries, services, did:key X25519
// key agreement derivation, document metadata (deactivation), and methods
// other than key, jwk and web. Whether the key's controller is the
// credential's issuer is for the verifier to check.
package did
