// Package vcapi serves the issuer, verifier and status endpoints of the
// W3C CCG Verifiable Credentials API (VC-API) over net/http, as a thin layer
// over packages issuer, verifier and status. It is what "badge serve" runs,
// and what the W3C test suites (vc-data-model-2.0, vc-di-eddsa,
// data-integrity, bitstring status list) and the 1EdTech tools drive.
//
// # Endpoints
//
//	POST /credentials/issue                   {"credential", "options"} → 201 {"verifiableCredential"}
//	POST /issuers/{name}/credentials/issue    the same, for a named issuer
//	POST /credentials/verify                  {"verifiableCredential", "options": {…, "lenient"}} → 200 or 400
//	POST /presentations/verify                {"verifiablePresentation", "options": {"challenge", "domain", "lenient"}} → 200 or 400
//	POST /credentials/status                  {"credentialId", "credentialStatus": [{"type", "status"}]}
//	POST /issuers/{name}/credentials/status   the same, for a named issuer
//	GET  /status/{list}                       the signed BitstringStatusListCredential
//	POST /status/{list}/publish               204 (lists are signed afresh on every GET)
//	GET  /healthz                             200 {"status": "ok"}: alive
//	GET  /readyz                              200 or 503 {"status", "checks"}: keys sign, the status store answers
//	GET  /openapi.json                        the OpenAPI 3.1 document of every endpoint (OpenAPI)
//	GET  /metrics                             Config.MetricsHandler, when set
//	GET  /, /index.html, …                    Config.Page (the verifier page), when set
//
// Issuing, status updates and publishing change the server's state: they
// need a bearer token of the issuer they act for (Config.Tokens; 401
// without one, 403 with another issuer's), and are disabled without
// tokens unless Config.InsecureNoAuth. The verify endpoints are public,
// limited per client by Config.RateLimit (429 with Retry-After). Every
// request gets a request id (X-Request-ID, the client's or a new one),
// echoed back and carried by its log lines; Config.Metrics counts requests
// by route and code, verifications by outcome, issuances and status
// changes.
//
// Issuing honours options.type and options.cryptosuite (DataIntegrityProof
// with eddsa-rdfc-2022 or eddsa-jcs-2022, or Ed25519Signature2020) and
// options.credentialStatus ({"type": "BitstringStatusListEntry",
// "statusPurpose": "revocation"}), which allocates an entry in one of the
// server's status lists.
//
// Verifying honours options.expectedProofPurpose, options.domain and
// options.challenge, and tolerates the legacy options.checks. The answer
// is the verifier.Result in its JSON form, the one badge verify --json
// prints: {"verified", "authentic", "conformant", "checks" (every check
// with its outcome), "errors", "warnings", "proofs", …}. A verified
// credential gets 200 and that object. A credential that does not verify
// gets 400, since the test suites score a 200 as "verified": the body is an
// RFC 9457 problem (application/problem+json) whose extension members are
// the same Result with "verified": false. A revoked or suspended credential
// fails its status check, whose detail says "revoked" or "suspended", with
// a verifier.ProblemStatusRevoked or ProblemStatusSuspended problem.
// "authentic" and "conformant" tell a forgery from an authentic credential
// that breaks a rule of the
// VC Data Model, Open Badges 3.0 or the Bitstring Status List (see
// verifier.Result). Presentations (package presentation) are answered the
// same way: signed ones are checked against options.challenge and
// options.domain; holder is optional (a presentation without one is
// reported with "holderClaimed": false and its "signers"), unless the
// request sets options.requireHolder; unsigned ones are accepted only with
// Config.InsecureAllowUnsignedPresentations; each of their credentialResults
// has "authentic" and "conformant".
//
// Verification is strict unless Config.Lenient makes lenient mode the
// default (verifier.Config.Lenient: Open Badges 3.0 rule failures,
// nonconformant status lists and failing embedded endorsements become
// warnings marked "relaxed"). A request chooses for itself with
// "options": {"lenient": true} or {"lenient": false}, on
// /credentials/verify and /presentations/verify alike.
//
// # Errors
//
// Bad input never yields a 500: a body that is not JSON, a credential that
// is not an object, a missing or unknown proof type or cryptosuite, undefined
// JSON-LD terms and relative IRIs are all 400 or 422 with an RFC 9457 problem
// whose type is one of the VC Data Model or Data Integrity problem types
// (see package verifier). Bodies larger than Config.MaxBodyBytes get 413,
// bodies that are not application/json or application/ld+json get 415.
//
// Nothing here touches the network unless the caller passes a resolver,
// loader or status fetcher that does.
package vcapi
