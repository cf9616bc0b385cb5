package status

import (
	"errors"
	"fmt"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/fielderr"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// that callers can branch with errors.Is.
var (
	// ErrRevoked and ErrSuspended are the Err of a Result whose credential is
	// revoked or suspended. They are outcomes, not malfunctions.
	ErrRevoked   = errors.New("status: revoked")
	ErrSuspended = errors.New("status: suspended")

	// ErrUnknown marks a status that could not be established: no Fetcher
	// was configured, or the credentialStatus type or statusPurpose is not
	// one this package understands. It fails verification (fail closed).
	ErrUnknown = errors.New("status: unknown")

	// ErrRetrieval: the status list could not be fetched
	// (STATUS_RETRIEVAL_ERROR).
	ErrRetrieval = errors.New("status: status list could not be retrieved")
	// ErrVerification: the status list did not verify: its proof, type,
	// purpose or validity period is wrong, or it or the credential names
	// no issuer (STATUS_VERIFICATION_ERROR).
	ErrVerification = errors.New("status: status list did not verify")
	// ErrListLength: the bitstring holds fewer than MinEntries entries
	// (STATUS_LIST_LENGTH_ERROR).
	ErrListLength = errors.New("status: status list too short")
	// ErrListIssuer: the status list is issued by another issuer than the
	// credential, and CheckerConfig.TrustListIssuer does not accept it
	// (reported as STATUS_VERIFICATION_ERROR). The list's proof did verify,
	// against the list's own issuer: what is wrong is who issued it, not
	// whether it is authentic.
	ErrListIssuer = errors.New("status: status list issued by another issuer")

	// ErrNonconformant is the Err of a StatusNonconformant Result: the list
	// is authentic (fetched, its proof verified, the right type, within
	// its validity period, serving the entry's purpose) and the entry's
	// value was read from it and says the credential is in good standing,
	// but the list breaks a Bitstring Status List rule: it is too short
	// (ErrListLength) or issued by another issuer (ErrListIssuer). The
	// error wraps each of those that applies, as well as this sentinel.
	//
	// Verification fails on it like on any other error, as the
	// specification requires. A lenient verifier (a wallet facing
	// deployed issuers that publish short lists, or sign them with another
	// DID or key of the same service) may instead report an error that
	// wraps ErrNonconformant as a warning and accept the credential: it is
	// never wrapped by an error saying the credential is revoked or
	// suspended, nor by one saying the list could not be trusted or read.
	ErrNonconformant = errors.New("status: nonconformant status list")
	// ErrRange: statusListIndex × statusSize is outside the bitstring
	// (RANGE_ERROR).
	ErrRange = errors.New("status: index out of range")
	// ErrMalformed: a credentialStatus entry or status list member is
	// malformed (MALFORMED_VALUE_ERROR).
	ErrMalformed = errors.New("status: malformed value")
	// ErrTooLarge: a status list expands beyond the configured bound (a
	// possible gzip bomb).
	ErrTooLarge = errors.New("status: status list too large")

	// ErrNotFound: the Store or the static Fetcher has no such list.
	ErrNotFound = errors.New("status: not found")
	// ErrExists: Store.Create was given a list id already in use.
	ErrExists = errors.New("status: list already exists")
	// ErrListFull: every index of the list has been allocated.
	ErrListFull = errors.New("status: list full")
	// ErrNotAllocated: an index that was never allocated was given to
	// Revoke, Suspend or Reinstate.
	ErrNotAllocated = errors.New("status: index not allocated")
	// ErrIrreversible: Reinstate was called on a revocation list;
	// revocation is not reversible (Bitstring Status List §2.1).
	ErrIrreversible = errors.New("status: revocation is not reversible")
	// ErrWrongPurpose: Revoke on a list whose purpose is not revocation,
	// Suspend or Reinstate on one that is not suspension.
	ErrWrongPurpose = errors.New("status: wrong status purpose for this list")
	// ErrConfig: an invalid configuration was given to a constructor.
	ErrConfig = errors.New("status: invalid configuration")
)

// Problem type URLs (RFC 9457 "type") for status failures: the three of
// Bitstring Status List §3.5, declared here, and the two VC Data Model 2.0
// §7.2 errors the algorithms also raise, declared in package credential.
const (
	ProblemRetrieval    = "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR"
	ProblemVerification = "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR"
	ProblemListLength   = "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR"
	ProblemRange        = credential.ProblemRange
	ProblemMalformed    = credential.ProblemMalformedValue
)

// ProblemType returns the problem type URL for err, or "" when err is nil or
// has none (ErrRevoked, ErrSuspended and ErrUnknown are decisions for the
// verifier to report in its own terms). An error wrapping several problems
// (a nonconformant list, or an index outside a nonconformant list) gets
// the type of the one the Checker used to report alone before it read the
// list further: the list's issuer, then its length, then the index.
func ProblemType(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrRetrieval):
		return ProblemRetrieval
	case errors.Is(err, ErrListIssuer):
		return ProblemVerification
	case errors.Is(err, ErrListLength):
		return ProblemListLength
	case errors.Is(err, ErrRange):
		return ProblemRange
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrTooLarge):
		return ProblemMalformed
	case errors.Is(err, ErrVerification):
		return ProblemVerification
	}
	return ""
}

// FieldError names the member at fault (a JSON path such as
// "credentialStatus[0].statusListIndex" or "credentialSubject.encodedList")
// and why. It unwraps to its sentinel and to the underlying cause.
type FieldError struct {
	Field  string
	Kind   error // one of the sentinels above
	Reason string
	Err    error // underlying cause, or nil
}

// Error names the field and the reason.
func (e *FieldError) Error() string {
	return fielderr.Message(e.Kind, "status: error", fielderr.At(e.Field), e.Reason, e.Err)
}

// Unwrap returns the sentinel and the cause, so errors.Is matches both.
func (e *FieldError) Unwrap() []error { return fielderr.Unwrap(e.Kind, e.Err) }

// ProblemType returns the problem type URL of the error (see the
// package-level ProblemType), so that verifiers can report it.
func (e *FieldError) ProblemType() string { return ProblemType(e) }

// problems is several errors found in one check, in the order they were
// found (the order ProblemType ranks them in). It is errors.Join on one
// line, since its message becomes Result.Reason.
type problems []error

func (p problems) Error() string {
	msgs := make([]string, len(p))
	for i, err := range p {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (p problems) Unwrap() []error { return p }

// ProblemType gives verifiers, which look for the method with errors.As,
// the same type as the package-level ProblemType.
func (p problems) ProblemType() string { return ProblemType(p) }

func fieldErr(kind error, field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Kind: kind, Reason: fmt.Sprintf(format, args...)}
}
