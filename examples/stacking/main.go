// Command stacking shows an LMS stacking three course badges into a
// certificate: it issues each course badge as the learner completes the
// course, shows the learner's progress towards the certificate, and once
// the pathway is complete signs the certificate (each course bound by its
// digest) and a CLR holding the certificate and the three badges:
//
//	go run ./examples/stacking
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
	"github.com/microcred/openbadges/verifier"
)

// pathway is what the college publishes once: the certificate and the
// three courses that earn it, with at least 12 credits within two years.
const pathway = `{
  "achievement": {
    "id": "https://college.example/certificates/data-analytics",
    "type": ["Achievement"],
    "achievementType": "Certificate",
    "name": "Certificate in Data Analytics",
    "description": "Cleaning, analysing and visualising data.",
    "criteria": {"narrative": "Earn the three course badges of the pathway within two years."}
  },
  "requires": {
    "achievements": [
      "https://college.example/courses/data-cleaning",
      "https://college.example/courses/exploratory-analysis",
      "https://college.example/courses/visualisation"
    ],
    "minimumCredits": 12,
    "within": "P2Y"
  }
}`

// courseBadge is a course badge for the learner.
const courseBadge = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "https://college.example/credentials/COURSE/learner-7",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "NAME",
  "validFrom": "VALID_FROM",
  "credentialSubject": {
    "id": "did:example:learner-7",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://college.example/courses/COURSE",
      "type": ["Achievement"],
      "achievementType": "Course",
      "name": "NAME",
      "description": "A four-credit course of the data analytics pathway.",
      "criteria": {"narrative": "Pass the final project."},
      "creditsAvailable": 4
    }
  }
}`

func main() {
	if err := run(os.Stdout, time.Now); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, now func() time.Time) error {
	ctx := context.Background()

	// The college's key (in production an HSM or KMS key and a did:web
	// identifier), its issuer, and a verifier: offline, did:key keys.
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	_, vm, err := did.NewKeyDID(key.Public())
	if err != nil {
		return err
	}
	college, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm, Now: now})
	if err != nil {
		return err
	}
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: now})
	if err != nil {
		return err
	}
	p, err := stack.ParsePathway([]byte(pathway))
	if err != nil {
		return err
	}

	// The learner completes the courses one by one; the LMS issues a badge
	// for each and shows the progress.
	var badges [][]byte
	courses := []struct{ slug, name string }{
		{"data-cleaning", "Data Cleaning"}, {"exploratory-analysis", "Exploratory Analysis"}, {"visualisation", "Visualisation"},
	}
	for i, c := range courses {
		doc := strings.NewReplacer("COURSE", c.slug, "NAME", c.name,
			"VALID_FROM", now().AddDate(0, -len(courses)+i, 0).UTC().Format(time.RFC3339)).Replace(courseBadge)
		b, err := college.IssueJSON(ctx, []byte(doc))
		if err != nil {
			return fmt.Errorf("issuing %s: %w", c.name, err)
		}
		badges = append(badges, b)
		progress, err := stack.Evaluate(ctx, p, badges, v)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "after %s: complete %v\n", c.name, progress.Met)
		for _, r := range progress.Missing() {
			fmt.Fprintf(w, "  missing %s: %s\n", r.Requirement, r.Detail)
		}
		if !progress.Met {
			continue
		}

		// Complete: the certificate, and a CLR with it and its courses.
		issued, err := stack.Issue(ctx, progress, college, stack.IssueOptions{CLR: true, Now: now})
		if err != nil {
			return err
		}
		res, err := v.Verify(ctx, issued.Certificate)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "certificate verified: %v (%d courses as evidence)\n", res.Verified, len(res.Credential.Evidence.Items))
		fmt.Fprintf(w, "the courses are the ones counted: %v\n", stack.CheckComponents(issued.Certificate, badges) == nil)
		res, err = v.Verify(ctx, issued.CLR)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "CLR verified: %v (%d credentials in it verified)\n", res.Verified, len(res.VerifiedCredentials()))
	}
	return nil
}
