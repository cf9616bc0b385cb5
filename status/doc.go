// Package status publishes and checks the revocation and suspension status of
// credentials: W3C Bitstring Status List v1.0 (both sides), StatusList2021 and
// the 1EdTech Revocation List that OB 3.0 displayers must support (checked).
//
// # Issuers
//
// Lists creates status lists in a Store, allocates an index to each new
// credential (Allocate returns the BitstringStatusListEntry to put in its
// credentialStatus), revokes, suspends and reinstates, and produces the
// BitstringStatusListCredential to publish at the list's URL (Publish signs it
// with a Signer, which the issuer package's Issuer satisfies).
//
// Lists have at least MinEntries (131,072) entries, so that an index says
// little about its holder, and are encoded as the specification says: GZIP,
// then multibase base64url without padding ("u…"). Indexes are handed out in
// a pseudo-random order: the k-th allocation of a list gets index π(k), where
// π is a permutation of the list's indexes keyed by a secret 32-byte seed
// drawn (from ListsConfig.Rand) when the list is created. Neither issuance
// order nor the number of credentials issued shows in the indexes, an index
// is never handed out twice, and all the allocation state a Store must keep
// is one counter per list.
//
// A revocation is final: Reinstate works only on suspension lists.
//
// # Stores
//
// MemoryStore keeps lists in memory; FileStore keeps each in a file, replaced
// atomically (temporary file, fsync, rename, fsync of the directory) on every
// change, so that a restart never loses an allocation. Both are safe for
// concurrent use within a process, and FileStore also between processes
// sharing the directory (through a lock file).
//
// An issuer running on several nodes implements Store over its database. The
// contract is small: Create inserts a row (id, the ListState members, the
// counter, the bits) and fails with ErrExists on a duplicate id; Reserve is a
// single atomic increment that returns the old value, for example in SQL
//
//	UPDATE status_lists SET allocated = allocated + 1
//	 WHERE id = $1 AND allocated < entries RETURNING allocated - 1
//
// (no row: ErrListFull or ErrNotFound); SetStatus changes the bits in a
// transaction (SELECT … FOR UPDATE, then UPDATE), or with an optimistic
// version column, and inside that transaction refuses to clear a set entry
// of a revocation list (ErrIrreversible: revocation is final); Load reads a
// consistent copy. Since an index is derived from
// the counter, two nodes can never allocate the same index as long as the
// increment is atomic and committed before Reserve returns. Keep the seed as
// secret as the rest of the issuer's records.
//
// # Verifiers
//
// Checker checks each credentialStatus entry of a credential and returns a
// Result per entry: ok, revoked, suspended, message, nonconformant, unknown
// or error. It is fail-closed: with no Fetcher configured (the default)
// nothing is fetched and every entry is "unknown", which fails verification
// unless the caller explicitly skips status checks; an unknown status type
// or purpose is "unknown"; a list that cannot be fetched, does not verify,
// has expired or does not match the entry is "error". Result.Failed tells
// which outcomes must fail verification.
// A *Checker is a verifier.Status (CheckStatus returns nil only for ok and
// message); Check gives the detailed Results of a whole credential.
//
// For a Bitstring Status List (and a StatusList2021) entry the Checker
// fetches the list credential, has its proof verified by the ListVerifier
// the verifier supplies, then checks that the list's issuer is the
// credential's (or one CheckerConfig.TrustListIssuer accepts), that it is
// within its validity period, that it serves the entry's statusPurpose,
// that the bitstring decodes (bounded by MaxListBytes, against gzip bombs)
// and holds at least MinEntries entries, and that statusListIndex ×
// statusSize lies within it; then it reads the entry's bits (Bitstring
// Status List §3.2).
//
// Two of those rules are about conformance rather than authenticity, and
// deployed issuers break them: lists shorter than MinEntries, and lists
// issued (and signed) by another DID or key of the same issuing service. A
// list that breaks them is still read, when it is authentic and the entry
// lies within it. If it says revoked or suspended, that is the outcome; if
// it says good standing, the outcome is "nonconformant": it fails
// verification, and its error wraps ErrNonconformant with ErrListLength or
// ErrListIssuer, so that a lenient verifier (a wallet) may report it as a
// warning and accept the credential. Nothing else is ever nonconformant:
// a list that is missing, unsigned, tampered with, expired, not yet valid,
// of the wrong type or purpose, names no issuer, or does not reach the
// entry's index is "error" in every mode.
//
// A list may carry an embedded proof or be a JWT
// (VC-JOSE-COSE, or a VC 1.1 JWT): the ListVerifier is given the bytes as
// fetched either way. For a 1EdTechRevocationList entry it fetches the
// entry's id and looks for the credential's id among revokedCredential.
//
// A list whose proof verified is remembered by its SHA-256 for five minutes
// (bounded in memory), so that checking a cohort of credentials against one
// list verifies and expands it once; the fetch itself happens on every check,
// and a Cache in front of the Fetcher decides how fresh the bytes are.
//
// Fetchers: NewHTTPFetcher fetches over HTTPS with the limits of did:web
// resolution (timeout, size, no private or loopback addresses); NewCache
// keeps documents for the time the list's ttl says and never serves an
// expired one; NewStaticFetcher serves documents from memory, for offline
// use and tests.
//
// Errors wrap the sentinels of this package (ErrRetrieval, ErrVerification,
// ErrListLength, ErrListIssuer, ErrRange, ErrMalformed, …), inside a
// *FieldError naming the member at fault; ProblemType maps them to the
// problem types of Bitstring Status List §3.5 and VC Data Model 2.0 §7.2.
package status
