package vcapi

import (
	"net/http"
	"time"

	"github.com/microcred/openbadges/verifier"
)

// Metrics receives what the server measures: requests, verifications,
// issuances and status changes. Config.Metrics nil means nothing is
// measured. The methods are called on the request's goroutine, so they
// must be safe for concurrent use and cheap (a counter increment); badge
// serve implements them with Prometheus.
type Metrics interface {
	// Request is called once per request answered, with the route that
	// served it (the pattern, such as "POST /credentials/verify", or
	// "unmatched"), the status code and the time taken.
	Request(route string, code int, d time.Duration)
	// Verification is called once per credential or presentation verify
	// request, with what was verified ("credential" or "presentation") and
	// the outcome: one of the Outcome… constants.
	Verification(kind, outcome string)
	// Issued is called once per credential issued, with the issuer's name
	// ("" for the issuer at /credentials/issue).
	Issued(issuer string)
	// StatusChanged is called once per status entry changed through
	// POST /credentials/status, with the issuer's name, the list's
	// purpose and the new state: "revoked", "suspended" or "reinstated".
	StatusChanged(issuer, purpose, state string)
}

// Outcomes of a verification, as Metrics.Verification receives them.
const (
	OutcomeVerified      = "verified"
	OutcomeNotConformant = "not_conformant" // authentic, breaks a data model rule
	OutcomeRevoked       = "revoked"
	OutcomeSuspended     = "suspended"
	OutcomeNotVerified   = "not_verified" // anything else: forged, expired, unreadable status, …
	OutcomeMalformed     = "malformed"    // the request could not be read
)

const outcomeMalformed = OutcomeMalformed

// outcomeOf names the outcome of a verification for Metrics.
func outcomeOf(res *verifier.Result) string {
	switch res.Verdict() {
	case verifier.VerdictVerified:
		return OutcomeVerified
	case verifier.VerdictNotConformant:
		return OutcomeNotConformant
	}
	if !res.Signed() {
		// A forgery's status says nothing.
		return OutcomeNotVerified
	}
	for _, p := range res.Errors {
		switch p.Type {
		case verifier.ProblemStatusRevoked:
			return OutcomeRevoked
		case verifier.ProblemStatusSuspended:
			return OutcomeSuspended
		}
	}
	return OutcomeNotVerified
}

// observe reports a credential verification's outcome.
func (s *Server) observe(_ *http.Request, outcome string) {
	if s.metrics != nil {
		s.metrics.Verification("credential", outcome)
	}
}
