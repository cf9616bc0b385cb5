// Package presentation creates and verifies W3C Verifiable Presentations
// (VC Data Model 2.0 and 1.1) of Open Badges 3.0 credentials: the learner
// decides who sees which badges.
//
// A holder (a wallet) wraps one or more credentials in a presentation, binds
// it to the verifier's challenge and domain, and signs it with a Data
// Integrity proof whose proofPurpose is authentication. A verifier (an
// employer, an admissions office, a conformance suite) checks that proof and
// then every credential inside, each with its own result.
//
// # Creating
//
//	h, err := presentation.NewHolder(presentation.HolderConfig{
//		Signer: key, VerificationMethod: "did:key:z6Mk…#z6Mk…",
//	})
//	vp, err := h.Present(ctx, [][]byte{badgeJSON, badgeJWT}, presentation.Options{
//		Challenge: challengeFromVerifier, Domain: "https://employer.example",
//	})
//
// Credentials are passed as they are stored: a JSON credential with an
// embedded proof is embedded as is; a VC-JWT (compact JWS) becomes an
// EnvelopedVerifiableCredential whose id is "data:application/vc+jwt,<jws>" in
// a 2.0 presentation, and the JWS string itself in a 1.1 presentation. The
// proof is eddsa-rdfc-2022 by default (eddsa-jcs-2022 on request; a 1.1
// presentation holding a VC-JWT string needs it, since JSON-LD cannot read
// the string). A 2.0 presentation may carry 1.1 badges; a 1.1 presentation
// cannot carry 2.0 badges under eddsa-rdfc-2022 (their contexts clash).
// Embedded credentials are written as the holder received them, whitespace
// aside. Compose returns the same presentation's JSON without a proof, for
// callers who ask for an unsigned one and wallets that sign with their own
// pipeline.
//
// # Verifying
//
//	v, err := presentation.NewVerifier(presentation.VerifierConfig{
//		Credentials: credentialVerifier, // a *verifier.Verifier
//		Suites:      []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
//		Challenges:  challenges,         // optional: single-use challenges
//	})
//	res, err := v.Verify(ctx, vp, presentation.VerifyOptions{
//		Challenge: challenge, Domain: "https://employer.example",
//	})
//	// res.Verified, res.PresentationResult, res.CredentialResults[i], res.ProblemDetails
//
// The Result marshals to the JSON of a VC API verify-presentation response:
// {verified, holder, presentationResult: {verified, checks, errors, warnings},
// credentialResults: [{index, id, format, verified, checks, errors, warnings}],
// problemDetails, warnings}. An HTTP handler for POST /presentations/verify
// decodes {verifiablePresentation, options: {challenge, domain}} and passes the
// presentation's JSON bytes and the options to Verify; IsPresentation tells a
// command that accepts either a credential or a presentation which one it got.
//
// For verifiers that hand out challenges, Challenges issues random single-use
// challenges (crypto/rand by default) valid for a window, kept in a
// ChallengeStore: MemoryStore in one process (bounded, oldest evicted first),
// or a shared store the application implements for several nodes.
//
// # Security model
//
//   - The proof must have proofPurpose authentication, and its verification
//     method must be listed under the authentication relationship of a DID
//     document (resolved with VerifierConfig.Resolver: did:key and did:jwk
//     offline by default) whose controller is the presentation's holder.
//     A presentation signed with a key that may only assert (assertionMethod),
//     or by anyone but the holder, fails. A signed presentation without a
//     holder fails: there is no one to authenticate.
//   - Replay: when the caller gives the challenge and domain it expects, the
//     proof must carry exactly them (INVALID_CHALLENGE_ERROR,
//     INVALID_DOMAIN_ERROR). With VerifierConfig.Challenges, a challenge is
//     accepted once and only within its lifetime; it is consumed as soon as
//     the proof verifies, so resubmitting the same bytes fails. Without
//     either, the result carries a warning that the presentation may be a
//     replay. Holder.Present refuses to sign without a challenge unless told
//     InsecureNoChallenge.
//   - Every credential inside is verified with the full checks of package
//     verifier (proof, issuer binding, dates, status, Open Badges rules). One
//     failing credential fails the presentation, and its CredentialResult
//     (index, id) says which one and why. A presentation proves who presents
//     the badges, not that they were awarded to the presenter: set
//     VerifyOptions.RequireHolderIsSubject to require every credential's
//     subject to be the holder.
//   - Unsigned presentations are refused unless
//     VerifierConfig.InsecureAllowUnsigned is set, and even then whenever a
//     challenge, a domain or holder-is-subject is required.
//   - The presentation's envelope (its own members, without the credentials
//     and proofs, which are checked on their own) must expand in JSON-LD
//     safe mode with allowed contexts, whatever the suite.
//   - Untrusted input is parsed strictly (no duplicate or case-variant keys,
//     valid UTF-8, bounded depth), and bounded: the presentation's size, the
//     number of credentials and each credential's size (VerifierConfig
//     limits). Nothing is fetched from the network unless the resolver,
//     loader or status checker given by the caller does so. No input makes
//     the package panic.
//
// Not supported: presentations secured as JWTs (vp+jwt), SD-JWT envelopes,
// and proof suites other than the EdDSA ones of package dataintegrity.
package presentation
