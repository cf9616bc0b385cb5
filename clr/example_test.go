package clr_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

// An institution gathers a learner's badges into a CLR, with the program
// they are part of, signs it, and a verifier checks the CLR, every badge in
// it and the CLR rules.
func ExampleAssemble() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	_, vm, _ := did.NewKeyDID(key.Public())
	is, _ := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm, Now: now})

	var badges [][]byte
	for _, course := range []string{"welding-1", "welding-2"} {
		badge := fmt.Sprintf(`{
		  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
		  "id": "https://example.edu/credentials/%[1]s-42",
		  "type": ["VerifiableCredential", "OpenBadgeCredential"],
		  "validFrom": "2026-01-01T00:00:00Z",
		  "credentialSubject": {"id": "did:example:learner-42", "type": ["AchievementSubject"],
		    "achievement": {"id": "https://example.edu/achievements/%[1]s", "type": ["Achievement"], "name": "%[1]s",
		      "description": "A welding course.", "criteria": {"narrative": "Pass the practical."}}}}`, course)
		signed, err := is.IssueJSON(ctx, []byte(badge))
		if err != nil {
			panic(err)
		}
		badges = append(badges, signed)
	}

	record, err := clr.Assemble(badges, clr.AssembleOptions{
		ID:   "https://example.edu/clr/42",
		Name: "Welding transcript",
		Now:  now,
		Associations: []clr.Association{
			clr.NewAssociation("https://example.edu/achievements/welding-1", clr.Precedes, "https://example.edu/achievements/welding-2"),
		},
	})
	if err != nil {
		panic(err)
	}
	unsigned, _ := json.Marshal(record)
	signed, err := is.IssueJSON(ctx, unsigned)
	if err != nil {
		panic(err)
	}

	v, _ := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: now})
	res, _ := v.Verify(ctx, signed)
	fmt.Println("verified:", res.Verified)
	fmt.Println("credentials verified:", len(res.VerifiedCredentials()))
	// Output:
	// verified: true
	// credentials verified: 2
}
