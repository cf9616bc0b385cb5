package did

import (
	"crypto/ed25519"
	"fmt"
)

// Encodings of the y coordinates of the eight small-order points of
// edwards25519 (little-endian, sign bit clear). Together with the sign bit
// they cover all eight points: the identity (y = 1), the point of order 2
// (y = p-1), the two points of order 4 (y = 0) and the four points of order
// 8 (y = y8 and y = p-y8, where y8 = 2707385501144840649318225287225658788
// 936804267575313519463743609750303402022). TestSmallOrderTable checks these
// values against the curve equation.
var smallOrderY = [5][32]byte{
	{0x00}, // y = 0: order 4
	{0x01}, // y = 1: the identity, order 1
	{ // y = p-1: order 2
		0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
	},
	{ // y = y8: order 8
		0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
	},
	{ // y = p-y8: order 8
		0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
	},
}

// CheckEd25519PublicKey reports whether pub is an Ed25519 public key that is
// safe to verify signatures with. crypto/ed25519.Verify panics on a key that
// is not 32 bytes long, and accepts small-order keys — with the identity key
// 01 00…00 the single signature 01 00…00 ‖ 00…00 verifies every message —
// and non-canonical encodings (y ≥ p), which let one key have several
// encodings. CheckEd25519PublicKey rejects all of these with an error
// matching ErrInvalidKey. Other packages that take Ed25519 keys from
// untrusted input should call it before ed25519.Verify.
func CheckEd25519PublicKey(pub []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return newError(ErrInvalidKey, "", fmt.Sprintf("Ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize))
	}
	var y [32]byte
	copy(y[:], pub)
	y[31] &= 0x7f // drop the sign of x
	if !canonicalFieldElement(&y) {
		return newError(ErrInvalidKey, "", "non-canonical Ed25519 public key encoding (y ≥ 2^255-19)")
	}
	for i := range smallOrderY {
		if y == smallOrderY[i] {
			return newError(ErrInvalidKey, "", "Ed25519 public key is a small-order point")
		}
	}
	return nil
}

// canonicalFieldElement reports whether the 255-bit little-endian value y is
// below p = 2^255 - 19. The only non-canonical values are p … 2^255-1: bytes
// 1…30 all 0xff, byte 31 = 0x7f and byte 0 ≥ 0xed.
func canonicalFieldElement(y *[32]byte) bool {
	if y[31] != 0x7f || y[0] < 0xed {
		return true
	}
	for _, b := range y[1:31] {
		if b != 0xff {
			return true
		}
	}
	return false
}
