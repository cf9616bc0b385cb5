// Command quickstart issues an Open Badges 3.0 credential and verifies it,
// in one short program:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

// badge is the credential to sign. The issuer is left out: the issuer
// package fills it in from the signing key.
const badge = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:uuid:2f1e7c3a-9b8d-4c6e-a5f4-3d2c1b0a9e8f",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "Intro to Data Analysis",
  "validFrom": "VALID_FROM",
  "credentialSubject": {
    "id": "did:example:learner-1",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/achievements/data-101",
      "type": ["Achievement"],
      "name": "Intro to Data Analysis",
      "description": "Cleaning, exploring and summarising tabular data.",
      "criteria": {"narrative": "Pass the final assessment with at least 70%."}
    }
  }
}`

func main() {
	ctx := context.Background()

	// 1. The issuer's key and its did:key identifier. In production: an
	// HSM or KMS key (any crypto.Signer) and a did:web or https identifier.
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	_, vm, err := did.NewKeyDID(key.Public())
	if err != nil {
		log.Fatal(err)
	}

	// 2. Issue: validate, bind the issuer, sign with eddsa-rdfc-2022.
	is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	signed, err := is.IssueJSON(ctx, []byte(strings.Replace(badge, "VALID_FROM", now, 1)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("signed credential:\n%s\n\n", signed)

	// 3. Verify: offline, with the suites we accept.
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
	if err != nil {
		log.Fatal(err)
	}
	res, err := v.Verify(ctx, signed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Summary())
	for _, c := range res.Checks {
		fmt.Printf("  %-16s %s\n", c.Name, c.Outcome)
	}
}
