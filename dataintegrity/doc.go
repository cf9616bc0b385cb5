// Package dataintegrity creates and verifies W3C Verifiable Credential Data
// Integrity proofs (https://www.w3.org/TR/vc-data-integrity/) with the EdDSA
// cryptosuites (https://www.w3.org/TR/vc-di-eddsa/), the embedded proofs of
// Open Badges 3.0 credentials.
//
// # Suites
//
//   - eddsa-rdfc-2022 (SuiteEdDSARDFC2022): the document and the proof
//     configuration are canonicalized with RDFC-1.0 (through a
//     jsonld.Processor: embedded contexts only, safe mode), hashed with
//     SHA-256 (proof configuration first) and signed with Ed25519. The
//     suite OB 3.0 conformance requires. The proof configuration takes the
//     document's @context, so a proof's own @context is not signed; if
//     present it must be a prefix of the document's (the eddsa-jcs-2022
//     rule, applied here too), or the proof fails (ErrMalformedProof on
//     the proof's @context, a PROOF_VERIFICATION_ERROR for ProblemType).
//   - eddsa-jcs-2022 (SuiteEdDSAJCS2022): the same with JCS (RFC 8785)
//     instead of RDFC-1.0; no JSON-LD processing. The proof carries the
//     document's @context, signed, which must be a prefix of the
//     document's at verification.
//   - Ed25519Signature2020 (SuiteEd25519Signature2020): the legacy proof
//     type most OB 3.0 badges issued on VCDM 1.1 carry; signed and verified.
//     As its specification says, the proof configuration takes the
//     document's @context and a proof's own is neither signed nor checked.
//   - eddsa-2022 (SuiteEdDSA2022): the draft name of eddsa-rdfc-2022,
//     verified only, by the same rules.
//
// Other suites (ECDSA, …) can be added by implementing Suite: proof options
// in and the proof out as JSON objects, the Env giving the document's
// canonical forms and canonicalizing JSON (a proof configuration) likewise.
//
// # Use
//
// An issuer builds a Prover with the suite, a crypto.Signer (an
// ed25519.PrivateKey, or an HSM or cloud KMS key) and the verification
// method URL, and calls AddProof with the credential's JSON; it gets the
// signed credential's JSON, the input's members in their order with the
// proof added. A verifier builds a Verifier with the suites it accepts and
// calls Verify with the document's JSON and a KeyResolver that maps each
// proof's verificationMethod to a public key; it gets a Result with one
// ProofResult per proof. Errors wrap sentinels (ErrInvalidSignature,
// ErrProofExpired, …) inside a *ProofError naming the proof and the field;
// ProblemType maps them to the VC-API problem types.
//
// # Security model
//
//   - Nothing is accepted implicitly: a Verifier accepts only the suites
//     listed in VerifierConfig.Suites, and only keys its KeyResolver returns.
//     Deciding which keys may sign for which issuer (DID resolution, the
//     controller's verification relationships, issuer binding) is the
//     caller's job; this package checks the signature, the proof purpose,
//     domain, challenge, created (not in the future beyond ClockSkew) and
//     expires.
//   - Ed25519 keys are checked before use: 32 bytes, canonical encoding, not
//     a small-order point (did.CheckEd25519PublicKey); signatures are checked
//     to be 64 bytes; proofValue must be base58btc multibase ("z") and decode
//     to exactly 64 bytes, and is bounded in length before decoding.
//   - Proof sets: by default every proof must verify, as VC Data Integrity
//     requires. VerifierConfig.IgnoreUnknownSuites follows OB 3.0 ("a
//     verifier MAY accept any one proof"): proofs of suites the verifier does
//     not accept are skipped with a warning, but a failing proof of an
//     accepted suite still fails the document.
//   - Proof chains: a proof with previousProof is verified over the document
//     carrying exactly the proofs it names, each of which must exist once,
//     and fails if any of them fails; self references and cycles are
//     rejected and the number of proofs is bounded (MaxProofs), which
//     bounds chain depth.
//   - Every member of a proof but proofValue is signed, except the
//     @context of a proof of the RDFC-based suites (see Suites); the
//     proof is canonicalized as received, never rebuilt from known
//     members.
//   - Inputs are never modified, and nothing returned shares memory with
//     them.
//   - Untrusted input never panics; failures are typed errors.
//
// # Compatibility
//
// Known answers: the W3C vc-di-eddsa test vectors (eddsa-rdfc-2022,
// eddsa-jcs-2022, Ed25519Signature2020, proof sets and chains) and the OB 3.0
// implementation guide vector are reproduced byte for byte. Proof chains
// include the previous proofs in document order (the order matters only to
// eddsa-jcs-2022). created is written in UTC with second precision
// (TimeFormat); any RFC 3339 date-time is read, and one without an offset
// is read as UTC, as VC Data Integrity requires.
package dataintegrity
