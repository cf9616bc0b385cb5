package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"log"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

func ExampleNew() {
	v, err := verifier.New(verifier.Config{
		// Required: what is accepted. OB 3.0 verifiers must support
		// eddsa-rdfc-2022; add vcjwt algorithms (e.g. "RS256") to accept
		// VC-JWTs.
		Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		// The defaults: did:key and did:jwk only, pinned contexts only,
		// time.Now, 5 minutes of clock skew. Nothing touches the network.
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = v // share it: a Verifier is safe for concurrent use
	fmt.Println("ready")
	// Output: ready
}

func ExampleVerifier_Verify() {
	// Issue a badge to have something to verify.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	_, vm, _ := did.NewKeyDID(key.Public())
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	is, _ := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm, Now: func() time.Time { return at }})
	signed, err := is.IssueJSON(context.Background(), []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
		"id": "urn:uuid:2f1e7c3a-9b8d-4c6e-a5f4-3d2c1b0a9e8f",
		"type": ["VerifiableCredential", "OpenBadgeCredential"],
		"name": "Intro to Data Analysis",
		"validFrom": "2026-06-01T00:00:00Z",
		"validUntil": "2027-06-01T00:00:00Z",
		"credentialSubject": {
			"id": "did:example:learner-1",
			"type": ["AchievementSubject"],
			"achievement": {
				"id": "https://example.edu/achievements/data-101",
				"type": ["Achievement"],
				"name": "Intro to Data Analysis",
				"description": "Cleaning, exploring and summarising tabular data.",
				"criteria": {"narrative": "Pass the final assessment."}
			}
		}
	}`))
	if err != nil {
		log.Fatal(err)
	}

	// Verify it now, and again after it expired.
	for _, now := range []time.Time{at, at.AddDate(2, 0, 0)} {
		v, err := verifier.New(verifier.Config{
			Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
			Now:    func() time.Time { return now },
		})
		if err != nil {
			log.Fatal(err)
		}
		res, err := v.Verify(context.Background(), signed)
		if err != nil {
			log.Fatal(err) // only misuse or a cancelled context
		}
		fmt.Println(res.Summary())
		for _, p := range res.Errors {
			fmt.Println(" ", p.Title, p.Path)
		}
	}
	// Output:
	// verified
	// not verified: validity $.validUntil: verifier: credential expired: validUntil was 2027-06-01T00:00:00Z, now is 2028-06-01T09:00:00Z
	//   RANGE_ERROR $.validUntil
}
