package cohort_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // a program imports the driver; the library does not

	"github.com/microcred/openbadges/cohort"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// A registrar issues a course's badge to its cohort: each credential gets
// a revocation entry, and its record (who got what, which entry) is in the
// database before the signed credential is handed out.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "cohort-example")
	defer os.RemoveAll(dir)
	driver, dsn, dialect, _ := sqlstore.ParseDSN("sqlite:" + filepath.Join(dir, "badges.db"))
	db, _ := sql.Open(driver, dsn)
	defer db.Close()
	store, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: dialect})
	if err != nil {
		fmt.Println(err)
		return
	}

	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	issuerDID, vm, _ := did.NewKeyDID(key.Public())
	is, _ := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	lists, _ := status.NewLists(status.ListsConfig{Store: store})
	revocation, _ := lists.NewSeries(ctx, status.ListConfig{ID: "https://registrar.example/status/revocation", Issuer: issuerDID})

	var cs []*credential.Credential
	for _, learner := range []string{"did:example:ada", "did:example:grace", "did:example:edsger"} {
		cs = append(cs, &credential.Credential{
			Envelope: credential.Envelope{
				Context:   credential.Contexts(credential.ContextV2, credential.ContextOB),
				ID:        "urn:example:data-101:" + learner,
				Type:      credential.Many("VerifiableCredential", "OpenBadgeCredential"),
				Name:      "Intro to Data Analysis",
				ValidFrom: "2026-06-01T00:00:00Z",
			},
			CredentialSubject: credential.One(credential.AchievementSubject{
				ID:   learner,
				Type: credential.Many("AchievementSubject"),
				Achievement: credential.AchievementRef{Achievement: &credential.Achievement{
					ID:          "https://registrar.example/achievements/data-101",
					Type:        credential.Many("Achievement"),
					Name:        "Intro to Data Analysis",
					Description: "Cleaning, exploring and summarising tabular data.",
					Criteria:    &credential.Criteria{Narrative: "Pass the final assessment."},
				}},
			}),
		})
	}

	err = cohort.Issue(ctx, cohort.Config{Issuer: is, Status: []*status.Series{revocation}, Records: store, RequestID: "term-2026-06"}, cs,
		func(chunk []cohort.Issued) error {
			for _, o := range chunk {
				if o.Err != nil {
					fmt.Println(o.Index, o.Err)
					continue
				}
				// o.Signed goes to the learner's wallet; its record is committed.
				fmt.Println(o.Record.SubjectID, "has a revocation entry:", o.Entries[0].Purpose == status.PurposeRevocation)
			}
			return nil
		})
	if err != nil {
		fmt.Println(err)
	}
	recs, _ := store.Records(ctx, sqlstore.Query{AchievementID: "https://registrar.example/achievements/data-101"})
	fmt.Println(len(recs), "records")
	// Output:
	// did:example:ada has a revocation entry: true
	// did:example:grace has a revocation entry: true
	// did:example:edsger has a revocation entry: true
	// 3 records
}
