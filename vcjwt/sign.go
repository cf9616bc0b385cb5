package vcjwt

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
)

// SignOptions configures Sign. KeyID or EmbedJWK (or both) must be set.
type SignOptions struct {
	// Algorithm is the JWS alg. Empty means the one AlgorithmFor gives for
	// the signer's key (RS256, ES256, ES384 or EdDSA).
	Algorithm Algorithm
	// KeyID is the kid header: the DID URL or https URL of the verification
	// method of the signer's key. Its part before '#' must be the
	// credential's issuer id, since that is how Verify ties the key to the
	// issuer.
	KeyID string
	// EmbedJWK puts the public key in the jwk header (public members only).
	// Verifiers accept it but can prove it is the issuer's only from the
	// issuer's published keys (see Verify).
	EmbedJWK bool
	// Rand is the randomness for ECDSA signatures. Nil means crypto/rand.
	Rand io.Reader
}

// Sign secures a credential as an Open Badges 3.0 VC-JWT (compact JWS) signed
// by signer, which may be an *rsa.PrivateKey, *ecdsa.PrivateKey,
// ed25519.PrivateKey, or any crypto.Signer (HSM, KMS) over such a key.
//
// The header is {"alg","typ":"JWT"} with "kid" and/or "jwk" and nothing else.
// The payload follows the credential's data model (@context[0]): for VCDM 2.0
// the credential itself plus the claims iss (issuer.id), jti (id), sub
// (credentialSubject.id), nbf (validFrom) and exp (validUntil); for VCDM 1.1
// the claim vc holding the credential plus the same claims, nbf and exp from
// issuanceDate and expirationDate. A claim is written only when the
// credential has the member it mirrors; dates lose their fractions of a
// second. The credential's members keep their order and values; white space
// is removed.
//
// The credential is read strictly (credential.Parse) but not validated
// against the Open Badges rules: validate it before signing. Sign verifies the
// signature it made with the signer's public key before returning it.
func Sign(ctx context.Context, credentialJSON []byte, signer crypto.Signer, opts SignOptions) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if signer == nil {
		return "", newError(ErrConfig, "signer", "nil")
	}
	pub := signer.Public()
	alg := opts.Algorithm
	if alg == "" {
		var err error
		if alg, err = AlgorithmFor(pub); err != nil {
			return "", err
		}
	}
	if !supported(alg) {
		return "", newError(ErrAlgorithmNotAllowed, "Algorithm", quote(string(alg))+" is not supported (RS256, ES256, ES384, EdDSA)")
	}
	if err := checkKey(alg, pub); err != nil {
		return "", err
	}
	if opts.KeyID == "" && !opts.EmbedJWK {
		return "", newError(ErrConfig, "KeyID", "set KeyID or EmbedJWK: a verifier needs to find the key")
	}
	if opts.KeyID != "" && !strings.HasPrefix(opts.KeyID, "did:") && !strings.HasPrefix(opts.KeyID, "https://") {
		return "", newError(ErrConfig, "KeyID", quote(opts.KeyID)+" is neither a DID URL nor an https URL")
	}

	// The credential.
	if len(credentialJSON) > DefaultMaxTokenSize {
		return "", newError(ErrInvalidCredential, "credential", "larger than a verifier accepts by default")
	}
	if _, err := credential.Parse(credentialJSON); err != nil {
		return "", wrapError(ErrInvalidCredential, "credential", "not strict JSON", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, credentialJSON); err != nil {
		return "", wrapError(ErrInvalidCredential, "credential", "not JSON", err)
	}
	m, raw, order, err := decodeObject(compact.Bytes(), "credential", DefaultMaxTokenSize)
	if err != nil {
		return "", wrapError(ErrInvalidCredential, "credential", "", err)
	}
	model, err := modelOf(m)
	if err != nil {
		return "", wrapError(ErrInvalidCredential, "@context", "unknown data model", err)
	}
	f, err := credentialFacts(m, model, ErrInvalidCredential, "")
	if err != nil {
		return "", err
	}
	if f.issuerID == "" {
		return "", newError(ErrInvalidCredential, "issuer", "no issuer id for the iss claim")
	}
	if opts.KeyID != "" {
		if base, _, _ := strings.Cut(opts.KeyID, "#"); base != f.issuerID {
			return "", newError(ErrKeyNotIssuer, "KeyID", fmt.Sprintf("%s is not a key of the issuer %s: verifiers would reject the token", quote(opts.KeyID), quote(f.issuerID)))
		}
	}
	claimNames, claimRaw := claimsFor(f)
	var payloadJSON []byte
	switch model {
	case VCDM20:
		for _, n := range append([]string{"vc"}, registeredClaims...) {
			if _, ok := raw[n]; ok {
				return "", newError(ErrInvalidCredential, n, "a VCDM 2.0 credential secured as a JWT cannot have a member named like a JWT claim")
			}
		}
		for _, n := range claimNames {
			raw[n] = claimRaw[n]
		}
		payloadJSON = buildObject(append(slices.Clone(order), claimNames...), raw)
	case VCDM11:
		claimRaw["vc"] = compact.Bytes()
		payloadJSON = buildObject(append([]string{"vc"}, claimNames...), claimRaw)
	}

	// The header.
	hdrNames := []string{"alg", "typ"}
	hdrRaw := map[string]json.RawMessage{}
	hdrRaw["alg"], _ = marshal(string(alg))
	hdrRaw["typ"], _ = marshal("JWT")
	if opts.KeyID != "" {
		hdrNames = append(hdrNames, "kid")
		hdrRaw["kid"], _ = marshal(opts.KeyID)
	}
	if opts.EmbedJWK {
		j, err := did.JWKFromPublicKey(pub)
		if err != nil {
			return "", wrapError(ErrInvalidKey, "key", "cannot write it as a JWK", err)
		}
		hdrNames = append(hdrNames, "jwk")
		if hdrRaw["jwk"], err = marshal(j); err != nil {
			return "", wrapError(ErrInvalidKey, "key", "cannot write it as a JWK", err)
		}
	}
	hdrJSON := buildObject(hdrNames, hdrRaw)

	input := b64.EncodeToString(hdrJSON) + "." + b64.EncodeToString(payloadJSON)
	if len(input) > DefaultMaxTokenSize {
		return "", newError(ErrInvalidCredential, "credential", "the token would be larger than a verifier accepts by default")
	}
	sig, err := signInput(signer, alg, []byte(input), opts.Rand)
	if err != nil {
		return "", err
	}
	token := input + "." + b64.EncodeToString(sig)

	// Check the signature before it leaves: a faulty signer (or one whose
	// Public does not match its key) must not produce badges nobody can
	// verify, and RSA faults can leak the key.
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err == nil {
		_, err = jws.Verify(pub)
	}
	if err != nil {
		return "", wrapError(ErrSigner, "signature", "does not verify with the signer's public key", err)
	}
	return token, nil
}

// signInput signs the JWS signing input with the algorithm's hash, and
// converts ECDSA signatures from ASN.1 DER (crypto.Signer's form) to the
// fixed-length r‖s JWS requires (RFC 7518 §3.4).
func signInput(signer crypto.Signer, alg Algorithm, input []byte, rnd io.Reader) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var (
		digest []byte
		hash   crypto.Hash
	)
	switch alg {
	case RS256, ES256:
		d := sha256.Sum256(input)
		digest, hash = d[:], crypto.SHA256
	case ES384:
		d := sha512.Sum384(input)
		digest, hash = d[:], crypto.SHA384
	case EdDSA:
		digest, hash = input, crypto.Hash(0)
	}
	sig, err := signer.Sign(rnd, digest, hash)
	if err != nil {
		return nil, wrapError(ErrSigner, "signer", "", err)
	}
	if alg != ES256 && alg != ES384 {
		return sig, nil
	}
	size := 32
	if alg == ES384 {
		size = 48
	}
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(sig, &rs)
	if err != nil || len(rest) != 0 || rs.R == nil || rs.S == nil || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 ||
		rs.R.BitLen() > size*8 || rs.S.BitLen() > size*8 {
		return nil, newError(ErrSigner, "signer", "not an ASN.1 DER ECDSA signature")
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}
