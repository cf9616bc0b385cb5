package vcjwt

import (
	"errors"
	"strconv"

	"github.com/microcred/openbadges/internal/fielderr"
)

// Sentinel errors. Every error returned by this package is an *Error that
// matches exactly one of them with errors.Is (and, when there is one, the
// underlying cause, such as a did package error).
var (
	// ErrMalformed: the token is not a canonical compact JWS whose header and
	// payload are JSON objects: wrong number of segments, characters outside
	// the base64url alphabet, padding, white space, non-canonical trailing
	// bits, invalid UTF-8, duplicate JSON members, members of the wrong type.
	ErrMalformed = errors.New("vcjwt: malformed token")
	// ErrTokenTooLarge: the token is larger than VerifyOptions.MaxTokenSize.
	// It is reported before any decoding.
	ErrTokenTooLarge = errors.New("vcjwt: token too large")
	// ErrAlgorithmNotAllowed: the header alg is not in the caller's
	// allow-list, or is never acceptable ("none", HMAC), or is not supported.
	ErrAlgorithmNotAllowed = errors.New("vcjwt: algorithm not allowed")
	// ErrUnsupportedHeader: the header has a parameter this package does not
	// accept (crit, jku, x5u, x5c, unknown names) or an unexpected value
	// (typ, cty), or kid and jwk name different keys.
	ErrUnsupportedHeader = errors.New("vcjwt: unsupported header")
	// ErrPrivateKeyInJWK: the jwk header carries private or symmetric key
	// members (d, p, q, dp, dq, qi, oth, k).
	ErrPrivateKeyInJWK = errors.New("vcjwt: private key material in jwk")
	// ErrInvalidKey: the key is unusable: malformed, unsafe (RSA below 2048
	// bits, small-order Ed25519), or of a type that does not match alg.
	ErrInvalidKey = errors.New("vcjwt: invalid key")
	// ErrKeyNotFound: the key could not be obtained: the header has neither
	// kid nor jwk, or the kid could not be resolved.
	ErrKeyNotFound = errors.New("vcjwt: key not found")
	// ErrKeyNotIssuer: the kid's DID (or controller document) is not the
	// issuer of the credential.
	ErrKeyNotIssuer = errors.New("vcjwt: key does not belong to the issuer")
	// ErrUnprovenKey: the jwk header's key is not among the issuer's
	// published keys (and VerifyOptions.InsecureAcceptUnprovenJWK is not
	// set).
	ErrUnprovenKey = errors.New("vcjwt: key provenance not proven")
	// ErrInvalidSignature: the signature does not verify with the key.
	ErrInvalidSignature = errors.New("vcjwt: invalid signature")
	// ErrDataModel: the payload's form (a "vc" claim or the credential
	// itself) disagrees with its @context[0] (VCDM 1.1 or 2.0), or neither
	// is recognisable.
	ErrDataModel = errors.New("vcjwt: data model mismatch")
	// ErrClaimMismatch: a JWT claim (iss, jti, sub, nbf, exp, aud) is missing,
	// malformed or disagrees with the credential.
	ErrClaimMismatch = errors.New("vcjwt: claim does not match the credential")
	// ErrExpired: exp (validUntil) is in the past, beyond the clock skew.
	ErrExpired = errors.New("vcjwt: token expired")
	// ErrNotYetValid: nbf (validFrom) is in the future, beyond the clock skew.
	ErrNotYetValid = errors.New("vcjwt: token not yet valid")
	// ErrInvalidCredential: Sign was given a credential it cannot secure
	// (not a strict JSON object, no @context or issuer id, JWT claim names
	// already present, unparseable dates).
	ErrInvalidCredential = errors.New("vcjwt: invalid credential")
	// ErrSigner: the crypto.Signer failed or produced a signature that does
	// not verify with its own public key.
	ErrSigner = errors.New("vcjwt: signer failed")
	// ErrKeySet: an issuer key set (JWKS) could not be fetched or parsed.
	ErrKeySet = errors.New("vcjwt: invalid key set")
	// ErrConfig: the options are invalid (no supported algorithm allowed,
	// neither kid nor jwk to sign with, …).
	ErrConfig = errors.New("vcjwt: invalid options")
)

// Error is the error type of this package. Kind (from the embedded Detail)
// is one of the sentinels; Field names what was rejected ("header.alg",
// "payload.sub", "jwk", "kid", "token"), Reason says why, and Err is the
// underlying cause, if any; errors.Is matches Kind and Err.
type Error struct {
	Field string
	fielderr.Detail
}

// Error returns the sentinel's text, the field, the reason and the cause.
func (e *Error) Error() string {
	return fielderr.Message(e.Kind, "vcjwt: error", fielderr.At(e.Field), e.Reason, e.Err)
}

func newError(kind error, field, reason string) *Error {
	return &Error{Field: field, Detail: fielderr.Detail{Kind: kind, Reason: reason}}
}

func wrapError(kind error, field, reason string, err error) *Error {
	return &Error{Field: field, Detail: fielderr.Detail{Kind: kind, Reason: reason, Err: err}}
}

// quote shortens untrusted text for an error message.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}
