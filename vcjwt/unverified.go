package vcjwt

import "fmt"

// UnverifiedCredential returns the credential a VC-JWT carries, as JSON
// (for the VC 1.1 vc claim form, with what the registered claims stand
// for restored, as Verify returns it), after the same structural checks
// as Verify but without checking the signature, the key or the dates.
//
// It is for inspecting a token's data model (badge validate); nothing it
// returns may be trusted. Use Verify for that.
func UnverifiedCredential(token []byte) ([]byte, error) {
	if len(token) > DefaultMaxTokenSize {
		return nil, newError(ErrTokenTooLarge, "token", fmt.Sprintf("%d bytes, the limit is %d", len(token), DefaultMaxTokenSize))
	}
	segs, err := split(token)
	if err != nil {
		return nil, err
	}
	if !IsCompactJWS(token) {
		return nil, newError(ErrMalformed, "header", "not a JSON object")
	}
	if len(segs[0]) > b64.EncodedLen(maxHeaderSize) {
		return nil, newError(ErrMalformed, "header", "too large")
	}
	if _, err := decodeSegment(segs[0], "header"); err != nil {
		return nil, err
	}
	payloadJSON, err := decodeSegment(segs[1], "payload")
	if err != nil {
		return nil, err
	}
	p, err := parsePayload(payloadJSON, DefaultMaxTokenSize)
	if err != nil {
		return nil, err
	}
	return p.credential, nil
}
