package issuer_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
)

func ExampleNew() {
	// In production the key lives in an HSM or a KMS: any crypto.Signer
	// that signs with Ed25519 will do.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	_, vm, err := did.NewKeyDID(key.Public())
	if err != nil {
		log.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{
		Signer:             key,
		VerificationMethod: vm, // did:key:z6Mk…#z6Mk…
		// Suite defaults to eddsa-rdfc-2022, which OB 3.0 requires.
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(is.Controller())
	// Output: did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z
}

func ExampleIssuer_Issue() {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	_, vm, _ := did.NewKeyDID(key.Public())
	is, err := issuer.New(issuer.Config{
		Signer:             key,
		VerificationMethod: vm,
		Now:                func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	badge := &credential.Credential{
		Envelope: credential.Envelope{
			Context:   credential.Contexts(credential.ContextV2, credential.ContextOB),
			ID:        "urn:uuid:2f1e7c3a-9b8d-4c6e-a5f4-3d2c1b0a9e8f",
			Type:      credential.Many("VerifiableCredential", "OpenBadgeCredential"),
			Name:      "Intro to Data Analysis",
			ValidFrom: "2026-06-01T00:00:00Z",
			// No issuer: Issue fills it in from the key's controller.
		},
		CredentialSubject: credential.One(credential.AchievementSubject{
			ID:   "did:example:learner-1",
			Type: credential.Many("AchievementSubject"),
			Achievement: credential.AchievementRef{Achievement: &credential.Achievement{
				ID:          "https://example.edu/achievements/data-101",
				Type:        credential.Many("Achievement"),
				Name:        "Intro to Data Analysis",
				Description: "Cleaning, exploring and summarising tabular data.",
				Criteria:    &credential.Criteria{Narrative: "Pass the final assessment."},
			}},
		}),
	}
	signed, err := is.Issue(context.Background(), badge)
	if err != nil {
		log.Fatal(err) // an invalid badge is refused here, with its problems
	}
	var out struct {
		Issuer struct{ ID string }
		Proof  struct{ Type, Cryptosuite, Created, ProofPurpose string }
	}
	if err := json.Unmarshal(signed, &out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Issuer.ID)
	fmt.Println(out.Proof.Type, out.Proof.Cryptosuite, out.Proof.Created, out.Proof.ProofPurpose)
	// Output:
	// did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z
	// DataIntegrityProof eddsa-rdfc-2022 2026-06-01T09:00:00Z assertionMethod
}
