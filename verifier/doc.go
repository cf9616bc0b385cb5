// Package verifier verifies Open Badges 3.0 credentials and returns a
// Result that says which checks ran and why any failed, in the shape of a VC
// API verification result.
//
// Verify checks, in order: the bytes parse strictly (no duplicate or
// case-variant keys); the document expands in JSON-LD safe mode with
// allowed contexts only; the VC Data Model and Open Badges 3.0 rules
// (credential.Validate); every proof (accepted suite, proofPurpose
// assertionMethod, a verification method that resolves and is listed under
// its controller's assertionMethod, created not in the future, expires not
// passed, a valid signature), at least one of them by a key whose
// controller is the issuer (other proofs, such as the first link of a
// proof chain by a co-signer, are listed in Result.Proofs with their
// signers); the validity
// period (validFrom/validUntil, or issuanceDate/expirationDate in VCDM
// 1.1); relatedResource digests of the contexts it loads; credential status
// (through Config.Status; without one, a credential that has a status fails
// as unknown unless Config.SkipStatus skips it); and
// embedded endorsements and the credentials embedded in a subject (a CLR
// 2.0 ClrCredential's verifiableCredential list), each verified the same
// way to a bounded depth (past the count and depth limits they are not
// checked, which fails the credential). A credential without a proof is not
// verified.
//
// A Result tells authenticity from conformance: Authentic (the credential
// is authentic and in force) and Conformant (it follows the VC Data Model,
// Open Badges 3.0 and Bitstring Status List rules), summed up by Verdict.
// By default the verifier is strict: every rule is a failure, as
// conformance tools need. Config.Lenient, for wallets and displayers, turns
// failures that do not touch authenticity into warnings marked Relaxed;
// its documentation lists what it relaxes and what it never does.
//
// Contexts are accepted by URL only (an inline @context object is refused:
// ErrInlineContext) and only those the loader serves. With
// Config.InsecureAllowInlineContexts, an inline context whose only member
// is "@context" is read as that context, as jsonld.js does
// (jsonld.Config.UnwrapNestedContexts).
//
// By default nothing touches the network: keys come from did:key and
// did:jwk identifiers, contexts from the pinned copies in package jsonld.
// Network look-ups (did:web, https keys, remote contexts, status lists)
// happen only through resolvers, loaders and status checkers the caller
// passes in Config. Keys are never taken from a URL fragment.
package verifier
