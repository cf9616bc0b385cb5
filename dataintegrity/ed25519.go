package dataintegrity

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/ed25519fast"
)

// ed25519PublicKey returns pub as an ed25519.PublicKey, or an error
// wrapping ErrInvalidKey unless it is an ed25519.PublicKey (or
// *ed25519.PublicKey) of 32 bytes that did.CheckEd25519PublicKey accepts:
// not a small-order point (with which one signature verifies many messages)
// and canonically encoded.
func ed25519PublicKey(pub crypto.PublicKey) (ed25519.PublicKey, error) {
	var k ed25519.PublicKey
	switch p := pub.(type) {
	case ed25519.PublicKey:
		k = p
	case *ed25519.PublicKey:
		if p != nil {
			k = *p
		}
	case nil:
		return nil, fmt.Errorf("%w: no public key", ErrInvalidKey)
	default:
		return nil, fmt.Errorf("%w: %T is not an Ed25519 public key", ErrInvalidKey, pub)
	}
	if err := did.CheckEd25519PublicKey(k); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return k, nil
}

// verifyEd25519 checks an Ed25519 signature with the lengths checked first
// (ed25519.Verify panics on a short key). The check is crypto/ed25519's,
// through internal/ed25519fast, which gives the same answer in half the time
// for a key seen repeatedly (an issuer's cohort).
func verifyEd25519(pub crypto.PublicKey, msg, sig []byte) error {
	k, err := ed25519PublicKey(pub)
	if err != nil {
		return err
	}
	if len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: signature is %d bytes, want %d", ErrMalformedProof, len(sig), ed25519.SignatureSize)
	}
	if !ed25519fast.Verify(k, msg, sig) {
		return ErrInvalidSignature
	}
	return nil
}

// signEd25519 signs msg with pure Ed25519 (crypto.Hash(0)) through any
// crypto.Signer, so HSM and KMS keys plug in.
func signEd25519(key crypto.Signer, msg []byte) ([]byte, error) {
	sig, err := key.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("%w: signer: %w", ErrProofGeneration, err)
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signer returned %d bytes, want an Ed25519 signature of %d", ErrProofGeneration, len(sig), ed25519.SignatureSize)
	}
	return sig, nil
}
