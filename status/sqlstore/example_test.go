package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // a program imports the driver; the library does not

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// An issuer keeps its status lists and issuance records in SQLite:
// allocate entries for a batch, record what was issued, revoke one
// credential with a reason, and find it again by learner.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "sqlstore-example")
	defer os.RemoveAll(dir)

	driver, dsn, dialect, _ := sqlstore.ParseDSN("sqlite:" + filepath.Join(dir, "badges.db"))
	db, _ := sql.Open(driver, dsn)
	defer db.Close()
	store, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: dialect}) // migrates the schema
	if err != nil {
		fmt.Println(err)
		return
	}
	lists, _ := status.NewLists(status.ListsConfig{Store: store})
	series, _ := lists.NewSeries(ctx, status.ListConfig{ID: "https://issuer.example/status/rev", Issuer: "did:example:issuer"})

	entries, _ := series.AllocateN(ctx, 2) // one statement; put each in a credential's credentialStatus
	var recs []sqlstore.Record
	for i, e := range entries {
		recs = append(recs, sqlstore.Record{CredentialID: fmt.Sprintf("urn:example:%d", i), Issuer: "did:example:issuer",
			SubjectID: fmt.Sprintf("did:example:learner%d", i), AchievementID: "https://issuer.example/achievements/go",
			Entries: []sqlstore.Entry{{Purpose: e.Purpose, List: e.ListCredential, Index: e.Index}}})
	}
	if err := store.AddRecords(ctx, recs); err != nil { // one transaction, before the credentials are handed out
		fmt.Println(err)
		return
	}

	revokeCtx := status.WithChangeInfo(ctx, status.ChangeInfo{Reason: "issued in error", Actor: "registrar"})
	_ = lists.Revoke(revokeCtx, entries[1].ListCredential, entries[1].Index)

	found, _ := store.Records(ctx, sqlstore.Query{SubjectID: "did:example:learner1"})
	fmt.Println(found[0].CredentialID, "revoked:", found[0].Entries[0].Value == 1)
	changes, _ := store.Changes(ctx, entries[1].ListCredential, int64(entries[1].Index), 0)
	fmt.Println("why:", changes[0].Reason)
	// Output:
	// urn:example:1 revoked: true
	// why: issued in error
}
