// Package vcjwt secures Open Badges 3.0 credentials as VC-JWTs — the "JSON Web
// Token Proof Format" of Open Badges 3.0 §8.2: a JWS in compact serialization
// whose payload is the credential — and verifies them, using
// github.com/go-jose/go-jose/v4 for the signature.
//
// Issuing:
//
//	token, err := vcjwt.Sign(ctx, credentialJSON, signer, vcjwt.SignOptions{
//		KeyID: "did:key:z6Mk…#z6Mk…", // or EmbedJWK: true
//	})
//
// Verifying:
//
//	if vcjwt.IsCompactJWS(input) {
//		v, err := vcjwt.Verify(ctx, input, vcjwt.VerifyOptions{
//			Algorithms: vcjwt.SupportedAlgorithms(), // an explicit choice
//			Resolver:   resolver,                    // nil: did:key and did:jwk, offline
//			Now:        clock,
//		})
//		// err matches a sentinel (ErrInvalidSignature, ErrKeyNotIssuer, …);
//		// with ErrExpired or ErrNotYetValid, v is returned too.
//		// v.Credential is the credential JSON: parse and validate it
//		// (credential.Parse, Validate) like any other; v.Warnings, v.Header,
//		// v.Claims and v.KeyProven go into the verifier's report.
//	}
//
// # Token format
//
// The header is {"alg", "typ": "JWT"} with "kid" (the DID URL or https URL of
// the issuer's verification method) and/or "jwk" (the public key itself).
// Sign writes nothing else. The payload depends on the data model, told by
// the credential's @context[0]:
//
//   - VCDM 2.0 (Open Badges 3.0): the credential's members, plus iss
//     (issuer.id), jti (id), sub (credentialSubject.id), nbf (validFrom) and
//     exp (validUntil). Verify returns the payload without the registered JWT
//     claims (iss, sub, aud, exp, nbf, iat, jti).
//   - VCDM 1.1: {"vc": credential, iss, jti, sub, nbf (issuanceDate), exp
//     (expirationDate)}. Verify returns the vc claim, restoring id, issuer,
//     issuanceDate, expirationDate and credentialSubject.id from the claims
//     where the vc claim leaves them out, as VC-JWT 1.1 allows.
//
// A payload whose form and @context[0] disagree (a vc claim holding a 2.0
// credential, a 1.1 credential at the top level) is refused with ErrDataModel.
//
// # Security model
//
// Tokens are untrusted. Verify:
//
//   - bounds the token's size before decoding anything (MaxTokenSize, 1 MiB
//     by default) and the header's (16 KiB);
//   - accepts only the canonical compact form: exactly three non-empty
//     segments of the base64url alphabet, without padding, white space or
//     non-zero trailing bits, so that one token has one encoding;
//   - decodes header and payload as strict JSON (valid UTF-8, no duplicate
//     members, bounded depth), so that no two readers see different claims;
//   - takes the algorithm allow-list from the caller (required), and never
//     accepts "none" or HMAC (HS256 "signed" with the issuer's public key as
//     the secret), even if listed;
//   - refuses crit and every header parameter but alg, typ, cty, kid and jwk —
//     in particular jku and x5u, which would make it fetch keys from where the
//     token says, and x5c, which needs certificate path validation;
//   - refuses a jwk with private members (ErrPrivateKeyInJWK);
//   - checks every key before go-jose sees it: a typed public key (never a
//     []byte, which go-jose would take as an HMAC secret) of the type alg
//     names, RSA moduli of 2048 to 8192 bits, points on the curve, Ed25519
//     keys that are neither small-order nor non-canonical;
//   - binds the key to the issuer (below) before resolving anything;
//   - requires the claims to agree with the credential (ErrClaimMismatch) and
//     checks nbf and exp against an injected clock with a clock skew.
//
// It loads nothing from the network unless the caller passes network
// resolvers (did.WebResolver, did.HTTPSResolver) or HTTPKeySets.
//
// # Algorithms
//
// RS256 (the minimum Open Badges 3.0 requires), ES256, ES384 and EdDSA
// (Ed25519). VerifyOptions.Algorithms must list the ones the caller accepts;
// SupportedAlgorithms returns all four. Sign picks the algorithm from the key
// unless told (AlgorithmFor) and signs through crypto.Signer, so keys may live
// in an HSM or KMS; ECDSA signatures are converted to the fixed-length r‖s
// form.
//
// # Key provenance
//
// A kid is the issuer's key only if the kid without its fragment is the
// issuer: the DID (for did:key, did:jwk, did:web, …) or the URL of the
// controller document (for https kids) must equal iss, which must equal
// issuer.id; the verification method must then be listed under
// assertionMethod in that document with that document as controller
// (did.ResolveVerificationMethod). Anything else is ErrKeyNotIssuer, decided
// before any resolution, so that a token cannot point the verifier at
// arbitrary documents.
//
// A jwk header is accepted as the specification allows, but the token alone
// proves only that whoever made it held the key. Verify therefore looks for
// the key among the issuer's keys: the assertion methods of the issuer's DID
// document when the issuer is a DID the resolver can resolve, and the keys
// VerifyOptions.IssuerKeys supplies — a key set pinned by the caller
// (StaticKeySets, ParseKeySet) or fetched, only if the caller opts in, from
// https://{issuer host}/.well-known/jwks.json (HTTPKeySets, with the network
// limits of did.HTTPConfig). If the key is found, Verified.KeyProven is true;
// if not, Verify refuses the token with ErrUnprovenKey, or only warns
// (WarnUnprovenKey) when VerifyOptions.InsecureAcceptUnprovenJWK is set. A DID issuer whose document resolves
// but does not list the key is refused outright (ErrKeyNotIssuer): the DID
// document is the authority on its keys, and accepting the key would let
// anyone sign in that issuer's name. When both kid and jwk are present,
// the kid decides and the jwk must be the same key.
//
// # The sub rule
//
// Open Badges 3.0 lists sub (credentialSubject.id) among the required claims,
// but the 1EdTech validator's own baked VC-JWT fixtures omit it (they carry
// the subject in aud) and it accepts them. The rule here: when present, sub
// must equal the id of the single credentialSubject (a sub with no subject
// id, or with several subjects, is ErrClaimMismatch). A missing sub while
// credentialSubject.id is present is ErrClaimMismatch, or only a warning
// (WarnMissingSubject) with VerifyOptions.InsecureAcceptMissingSubject,
// which the verifier package sets to accept what the 1EdTech validator
// accepts. The other claims: iss is required and
// must equal issuer.id; jti, nbf and exp are required exactly when the
// credential has id, validFrom (issuanceDate) and validUntil (expirationDate),
// and must then equal them (dates to the second); aud is checked only against
// VerifyOptions.Audience; iat in the future is a warning.
//
// # Errors
//
// Every error is an *Error naming the field (header.alg, payload.sub, …) and
// the reason, and matching one sentinel with errors.Is: ErrMalformed,
// ErrTokenTooLarge, ErrAlgorithmNotAllowed, ErrUnsupportedHeader,
// ErrPrivateKeyInJWK, ErrInvalidKey, ErrKeyNotFound, ErrKeyNotIssuer,
// ErrUnprovenKey, ErrInvalidSignature, ErrDataModel, ErrClaimMismatch,
// ErrExpired, ErrNotYetValid (and for Sign: ErrInvalidCredential, ErrSigner,
// ErrConfig). Resolver failures also match the did package's sentinels. No
// input makes the package panic.
package vcjwt
