package stack_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
	"github.com/microcred/openbadges/verifier"
)

// A college stacks a learner's course badges into a certificate: it shows
// the learner's progress, then, once the pathway is complete, signs the
// certificate.
func ExampleEvaluate() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	_, vm, _ := did.NewKeyDID(key.Public())
	college, _ := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm, Now: now})

	badge := func(course string) []byte {
		b, err := college.IssueJSON(ctx, []byte(fmt.Sprintf(`{
		  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
		  "id": "https://example.edu/credentials/%[1]s/42", "type": ["VerifiableCredential", "OpenBadgeCredential"],
		  "validFrom": "2026-01-01T00:00:00Z",
		  "credentialSubject": {"id": "did:example:learner-42", "type": ["AchievementSubject"],
		    "achievement": {"id": "https://example.edu/achievements/%[1]s", "type": ["Achievement"], "name": "%[1]s",
		      "description": "A course.", "criteria": {"narrative": "Pass it."}, "creditsAvailable": 4}}}`, course)))
		if err != nil {
			panic(err)
		}
		return b
	}
	pathway, err := stack.ParsePathway([]byte(`{
	  "achievement": {"id": "https://example.edu/certificates/data-analytics", "type": ["Achievement"],
	    "achievementType": "Certificate", "name": "Data Analytics", "description": "Three courses.",
	    "criteria": {"narrative": "Earn the three course badges."}},
	  "requires": {
	    "achievements": ["https://example.edu/achievements/cleaning", "https://example.edu/achievements/analysis",
	                     "https://example.edu/achievements/visualisation"],
	    "minimumCredits": 12, "within": "P2Y"
	  }
	}`))
	if err != nil {
		panic(err)
	}
	v, _ := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: now})

	progress, _ := stack.Evaluate(ctx, pathway, [][]byte{badge("cleaning"), badge("analysis")}, v)
	fmt.Println("complete:", progress.Met)
	for _, r := range progress.Missing() {
		fmt.Printf("missing %s: %s (%s)\n", r.Path, r.Requirement, r.Detail)
	}

	components := [][]byte{badge("cleaning"), badge("analysis"), badge("visualisation")}
	progress, _ = stack.Evaluate(ctx, pathway, components, v)
	fmt.Println("complete:", progress.Met)
	issued, err := stack.Issue(ctx, progress, college, stack.IssueOptions{Now: now})
	if err != nil {
		panic(err)
	}
	res, _ := v.Verify(ctx, issued.Certificate)
	fmt.Println("certificate verified:", res.Verified, "with", len(res.Credential.Evidence.Items), "pieces of evidence")
	fmt.Println("components match:", stack.CheckComponents(issued.Certificate, components) == nil)
	// Output:
	// complete: false
	// missing $.requires.achievements[2]: achievement https://example.edu/achievements/visualisation (missing)
	// missing $.requires: all 3 achievements (2 met, 1 more needed, from: https://example.edu/achievements/visualisation)
	// missing $.requires.minimumCredits: at least 12 credits (8 credits earned)
	// complete: true
	// certificate verified: true with 3 pieces of evidence
	// components match: true
}
