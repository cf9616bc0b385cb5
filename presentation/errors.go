package presentation

import (
	"errors"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/verifier"
)

// Sentinel errors. Failures in a Result wrap them (ProblemDetail.Err), as well
// as the dataintegrity sentinels for the presentation's proof
// (dataintegrity.ErrChallengeMismatch, ErrDomainMismatch, ErrPurposeMismatch,
// …) and those of the verifier package for the credentials inside; test with
// errors.Is on Result.Err().
var (
	// ErrMalformed: the input is not a Verifiable Presentation of the VC
	// Data Model (2.0 or 1.1), or a credential inside it is neither a JSON
	// object nor a supported envelope.
	ErrMalformed = errors.New("presentation: malformed presentation")
	// ErrTooLarge: the presentation, or one credential inside it, is larger
	// than the configured limits, or it holds too many credentials.
	ErrTooLarge = errors.New("presentation: too large")
	// ErrNoProof: the presentation is not signed (and the verifier was not
	// told to accept unsigned presentations).
	ErrNoProof = errors.New("presentation: no proof")
	// ErrNoHolder: a signed presentation names no holder and holder binding
	// was required (VerifierConfig.RequireHolder, VerifyOptions.RequireHolder).
	ErrNoHolder = errors.New("presentation: no holder")
	// ErrHolderMismatch: the key that signed the presentation is not
	// controlled by its holder.
	ErrHolderMismatch = errors.New("presentation: verification method controller is not the holder")
	// ErrChallengeUnknown: the challenge was never issued by the
	// ChallengeStore, or has expired.
	ErrChallengeUnknown = errors.New("presentation: challenge unknown or expired")
	// ErrChallengeUsed: the challenge was already used (a replay).
	ErrChallengeUsed = errors.New("presentation: challenge already used")
	// ErrCredential: a credential inside the presentation does not verify.
	// The CredentialResult of that credential says why.
	ErrCredential = errors.New("presentation: credential not verified")
	// ErrSubjectNotHolder: VerifyOptions.RequireHolderIsSubject is set and a
	// credential's subject is not the presentation's holder.
	ErrSubjectNotHolder = errors.New("presentation: credential subject is not the holder")
	// ErrUnsupportedEnvelope: an EnvelopedVerifiableCredential whose data
	// URL is not of a supported media type (application/vc+jwt).
	ErrUnsupportedEnvelope = errors.New("presentation: unsupported credential envelope")
	// ErrCreate: a presentation could not be created (bad options or
	// credentials, a signer failure).
	ErrCreate = errors.New("presentation: cannot create presentation")
)

// Problem types, re-exported from the verifier package so that callers of
// this package need not import both. INVALID_CHALLENGE_ERROR and
// INVALID_DOMAIN_ERROR are those of VC Data Integrity.
const (
	ProblemParsing           = verifier.ProblemParsing
	ProblemMalformedValue    = verifier.ProblemMalformedValue
	ProblemProofVerification = verifier.ProblemProofVerification
	ProblemInvalidChallenge  = verifier.ProblemInvalidChallenge
	ProblemInvalidDomain     = verifier.ProblemInvalidDomain
)

// problem is the problem detail check reports for the value at path; a type
// with no title of its own is titled as a credential that did not verify.
func problem(typ, check, path string, err error) verifier.ProblemDetail {
	p := verifier.NewProblemDetail(typ, check, path, err)
	if p.Title == "" {
		p.Title = "credential not verified"
	}
	return p
}

// proofProblem maps an error of the presentation's proof check to its type.
func proofProblem(err error) string {
	switch {
	case errors.Is(err, ErrChallengeUnknown), errors.Is(err, ErrChallengeUsed):
		return ProblemInvalidChallenge
	case errors.Is(err, ErrHolderMismatch), errors.Is(err, ErrNoHolder), errors.Is(err, ErrNoProof):
		return ProblemProofVerification
	}
	if t := dataintegrity.ProblemType(err); t != "" {
		return t
	}
	return ProblemProofVerification
}
