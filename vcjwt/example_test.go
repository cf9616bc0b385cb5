package vcjwt_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/vcjwt"
)

// exampleKey is a fixed Ed25519 key (EdDSA signatures are deterministic, so
// the example's output is too). Real issuers keep keys in an HSM or KMS
// behind crypto.Signer.
var exampleKey = ed25519.NewKeyFromSeed(func() []byte { h := sha256.Sum256([]byte("example issuer")); return h[:] }())

func exampleCredential(issuer string) []byte {
	return []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example University"},
	  "validFrom": "2026-01-01T00:00:00Z",
	  "name": "Teamwork Badge",
	  "credentialSubject": {
	    "id": "did:example:learner",
	    "type": ["AchievementSubject"],
	    "achievement": {"id": "https://example.edu/achievements/teamwork", "type": ["Achievement"],
	      "name": "Teamwork", "description": "Works well with others.", "criteria": {"narrative": "Peer nominated."}}
	  }
	}`)
}

func ExampleSign() {
	// The issuer is the did:key of its signing key; kid names the key.
	issuer, kid, _ := did.NewKeyDID(exampleKey.Public())

	token, err := vcjwt.Sign(context.Background(), exampleCredential(issuer), exampleKey, vcjwt.SignOptions{KeyID: kid})
	if err != nil {
		fmt.Println(err)
		return
	}
	parts := strings.Split(token, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	fmt.Println(strings.ReplaceAll(string(header), kid, "<kid>"))
	claims := string(payload[strings.LastIndex(string(payload), `"iss"`):])
	fmt.Println(strings.ReplaceAll(claims, issuer, "<issuer>"))
	// Output:
	// {"alg":"EdDSA","typ":"JWT","kid":"<kid>"}
	// "iss":"<issuer>","jti":"urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002","sub":"did:example:learner","nbf":1767225600}
}

func ExampleVerify() {
	issuer, kid, _ := did.NewKeyDID(exampleKey.Public())
	token, _ := vcjwt.Sign(context.Background(), exampleCredential(issuer), exampleKey, vcjwt.SignOptions{KeyID: kid})

	v, err := vcjwt.Verify(context.Background(), []byte(token), vcjwt.VerifyOptions{
		Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA, vcjwt.ES256, vcjwt.RS256},
		Resolver:   did.DefaultResolver(), // did:key and did:jwk, offline
		Now:        func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("data model:", v.DataModel)
	fmt.Println("issuer is the key's controller:", v.VerificationMethod.Controller == issuer, v.KeyProven)
	fmt.Println("credential starts:", string(v.Credential[:40]))

	// The same token checked before its validFrom: the result comes back
	// with the error, for the verifier's report.
	_, err = vcjwt.Verify(context.Background(), []byte(token), vcjwt.VerifyOptions{
		Algorithms: vcjwt.SupportedAlgorithms(),
		Now:        func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	fmt.Println(errors.Is(err, vcjwt.ErrNotYetValid), err)
	// Output:
	// data model: 2.0
	// issuer is the key's controller: true true
	// credential starts: {"@context":["https://www.w3.org/ns/cred
	// true vcjwt: token not yet valid: payload.nbf: valid from 2026-01-01T00:00:00Z
}

// A key embedded in the jwk header verifies the signature, but only the
// issuer's published key set proves it is the issuer's.
func ExampleVerify_embeddedKey() {
	issuer := "https://example.edu/issuers/565049"
	token, _ := vcjwt.Sign(context.Background(), exampleCredential(issuer), exampleKey, vcjwt.SignOptions{EmbedJWK: true})
	opts := vcjwt.VerifyOptions{
		Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA},
		Now:        func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	}
	_, err := vcjwt.Verify(context.Background(), []byte(token), opts)
	fmt.Println(errors.Is(err, vcjwt.ErrUnprovenKey))

	// Pinned key set (for example read from a file the issuer published at
	// https://example.edu/.well-known/jwks.json).
	jwk, _ := did.JWKFromPublicKey(exampleKey.Public())
	keys, _ := vcjwt.NewStaticKeySets(map[string][]byte{
		issuer: []byte(`{"keys":[{"kty":"` + jwk.Kty + `","crv":"` + jwk.Crv + `","x":"` + jwk.X + `"}]}`),
	})
	opts.IssuerKeys = keys
	v, err := vcjwt.Verify(context.Background(), []byte(token), opts)
	fmt.Println(v.KeyProven, len(v.Warnings), err)
	// Output:
	// true
	// true 0 <nil>
}
