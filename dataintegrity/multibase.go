package dataintegrity

import (
	"fmt"

	"github.com/mr-tron/base58"
)

// EncodeProofValue returns sig as a multibase base58btc string ("z" prefix),
// the proofValue encoding of the EdDSA suites.
func EncodeProofValue(sig []byte) string {
	return "z" + base58.Encode(sig)
}

// DecodeProofValue decodes a multibase base58btc proofValue and checks that
// it holds exactly size bytes. Any other multibase prefix, a non-base58
// character, or a wrong length fails with ErrMalformedProof.
func DecodeProofValue(s string, size int) ([]byte, error) {
	if len(s) == 0 {
		return nil, fmt.Errorf("%w: empty proofValue", ErrMalformedProof)
	}
	if s[0] != 'z' {
		return nil, fmt.Errorf("%w: proofValue is not multibase base58btc (want prefix 'z', got %q)", ErrMalformedProof, s[:1])
	}
	// Bound the length before decoding, which is quadratic: size bytes
	// take at most ⌈size·log(256)/log(58)⌉ < size·1.37+1 digits (a
	// 64-byte signature at most 88), plus the "z".
	if len(s) > 2+size*137/100+1 {
		return nil, fmt.Errorf("%w: proofValue is %d characters long", ErrMalformedProof, len(s))
	}
	b, err := base58.Decode(s[1:])
	if err != nil || len(s) == 1 {
		return nil, fmt.Errorf("%w: proofValue is not valid base58btc", ErrMalformedProof)
	}
	if len(b) != size {
		return nil, fmt.Errorf("%w: proofValue decodes to %d bytes, want %d", ErrMalformedProof, len(b), size)
	}
	return b, nil
}
