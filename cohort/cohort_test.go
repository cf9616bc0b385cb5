package cohort_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/cohort"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/verifier"
)

// env is an issuer, a SQLite store and a revocation series on it.
type env struct {
	is     *issuer.Issuer
	issuer string // the issuer's DID
	store  *sqlstore.Store
	series *status.Series
}

func newEnv(t *testing.T, db *sql.DB) *env {
	t.Helper()
	ctx := context.Background()
	key, didKey, vm := testkeys.Private(3)
	is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	require.NoError(t, err)
	if db == nil {
		db = storetest.OpenSQLite(t, storetest.SQLitePath(t))
	}
	store, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: sqlstore.SQLite})
	require.NoError(t, err)
	lists, err := status.NewLists(status.ListsConfig{Store: store})
	require.NoError(t, err)
	series, err := lists.NewSeries(ctx, status.ListConfig{ID: "https://issuer.example/status/rev", Issuer: didKey})
	require.NoError(t, err)
	return &env{is: is, issuer: didKey, store: store, series: series}
}

// badges returns n badges for n learners, parsed from the shared template.
func badges(t *testing.T, issuerID string, n int) []*credential.Credential {
	t.Helper()
	cs := make([]*credential.Credential, n)
	for i := range cs {
		doc := testref.Testdata(t, "badge-template.json", "ISSUER", issuerID, "SUBJECT", fmt.Sprintf("did:example:learner-%d", i),
			"BADGE_ID", fmt.Sprintf("urn:example:badge:%d", i))
		var err error
		cs[i], err = credential.Parse(doc)
		require.NoError(t, err)
	}
	return cs
}

// TestIssueRecordsBeforeDelivery: every credential is delivered once, in
// order, signed with its own entry; when a chunk is delivered, its records
// are in the database already (another connection reads them).
func TestIssueRecordsBeforeDelivery(t *testing.T) {
	ctx := context.Background()
	path := storetest.SQLitePath(t)
	e := newEnv(t, storetest.OpenSQLite(t, path))
	reader, err := sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenSQLite(t, path), Dialect: sqlstore.SQLite})
	require.NoError(t, err)
	const n = 700
	cs := badges(t, e.issuer, n)
	before := cs[0].CredentialStatus

	var got []cohort.Issued
	indexes := map[uint64]bool{}
	err = cohort.Issue(ctx, cohort.Config{Issuer: e.is, Status: []*status.Series{e.series}, Records: e.store, RequestID: "batch-1", ChunkSize: 150},
		cs, func(chunk []cohort.Issued) error {
			assert.LessOrEqual(t, len(chunk), 150)
			last := chunk[len(chunk)-1]
			recs, err := reader.Records(ctx, sqlstore.Query{CredentialID: fmt.Sprintf("urn:example:badge:%d", last.Index)})
			require.NoError(t, err)
			require.Len(t, recs, 1, "credential %d delivered before its record was committed", last.Index)
			got = append(got, chunk...)
			return nil
		})
	require.NoError(t, err)
	require.Len(t, got, n)
	for i, o := range got {
		require.NoError(t, o.Err)
		require.Equal(t, i, o.Index)
		require.Len(t, o.Entries, 1)
		entry := o.Entries[0]
		assert.False(t, indexes[entry.Index], "index %d handed out twice", entry.Index)
		indexes[entry.Index] = true
		assert.Contains(t, string(o.Signed), fmt.Sprintf(`"statusListIndex":"%d"`, entry.Index))
		assert.Equal(t, fmt.Sprintf("urn:example:badge:%d", i), o.Record.CredentialID)
		assert.Equal(t, fmt.Sprintf("did:example:learner-%d", i), o.Record.SubjectID)
		assert.Equal(t, e.issuer, o.Record.Issuer)
		assert.Equal(t, "batch-1", o.Record.RequestID)
		assert.Equal(t, []sqlstore.Entry{{Purpose: status.PurposeRevocation, List: entry.ListCredential, Index: entry.Index}}, o.Record.Entries)
	}
	assert.Equal(t, before, cs[0].CredentialStatus, "the caller's credential is not modified")

	// The signed credentials verify, with the entry inside the signature.
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, SkipStatus: true})
	require.NoError(t, err)
	for _, i := range []int{0, 151, n - 1} {
		res, err := v.Verify(ctx, got[i].Signed)
		require.NoError(t, err)
		require.True(t, res.Verified, "%+v", res.Errors)
		entries, errs, err := status.ParseEntries(got[i].Signed)
		require.NoError(t, err)
		require.Len(t, errs, 1)
		require.NoError(t, errs[0])
		require.Len(t, entries, 1)
		assert.Equal(t, got[i].Entries[0].Index, entries[0].Index)
	}

	// One record per credential, all under the batch's request id.
	all, err := reader.Records(ctx, sqlstore.Query{List: e.series.Base(), Limit: sqlstore.MaxLimit})
	require.NoError(t, err)
	assert.Len(t, all, n)
}

// TestIssueFailedCredential: a credential that does not validate gets its
// error and no record; the batch goes on.
func TestIssueFailedCredential(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	cs := badges(t, e.issuer, 5)
	bad := *cs[2]
	bad.CredentialSubject = credential.Set[credential.AchievementSubject]{} // OB 3.0 requires a subject
	cs[2] = &bad
	var got []cohort.Issued
	err := cohort.Issue(ctx, cohort.Config{Issuer: e.is, Status: []*status.Series{e.series}, Records: e.store}, cs,
		func(chunk []cohort.Issued) error { got = append(got, chunk...); return nil })
	require.NoError(t, err)
	require.Len(t, got, 5)
	require.Error(t, got[2].Err)
	assert.Nil(t, got[2].Signed)
	assert.Len(t, got[2].Entries, 1, "the entry was allocated, and is not reused")
	assert.Empty(t, got[2].Record.ID)
	recs, err := e.store.Records(ctx, sqlstore.Query{})
	require.NoError(t, err)
	require.Len(t, recs, 4)
	for _, r := range recs {
		assert.NotEqual(t, "urn:example:badge:2", r.CredentialID)
	}
}

// TestIssueStopsWhenTheDatabaseFills: a database that fills up (SQLite's
// max_page_count stands for a full disk) stops the batch with the store's
// error; every chunk delivered before has its records, none after is
// delivered, and the entries allocated are not handed out again.
func TestIssueStopsWhenTheDatabaseFills(t *testing.T) {
	ctx := context.Background()
	path := storetest.SQLitePath(t)
	e := newEnv(t, storetest.OpenSQLite(t, path))
	var pages int
	require.NoError(t, storetest.OpenSQLite(t, path).QueryRow("PRAGMA page_count").Scan(&pages))
	full, err := sql.Open(sqlstore.DriverSQLite, sqlstore.SQLiteDSN(path)+fmt.Sprintf("&_pragma=max_page_count(%d)", pages+12))
	require.NoError(t, err)
	t.Cleanup(func() { full.Close() })
	fullStore, err := sqlstore.Open(ctx, sqlstore.Config{DB: full, Dialect: sqlstore.SQLite})
	require.NoError(t, err)

	cs := badges(t, e.issuer, 600)
	delivered := 0
	err = cohort.Issue(ctx, cohort.Config{Issuer: e.is, Status: []*status.Series{e.series}, Records: fullStore, ChunkSize: 50}, cs,
		func(chunk []cohort.Issued) error { delivered += len(chunk); return nil })
	require.Error(t, err)
	assert.ErrorIs(t, err, status.ErrUnavailable)
	assert.Contains(t, err.Error(), "cohort: storing the records of credentials")
	require.Less(t, delivered, len(cs))
	recs, err := e.store.Records(ctx, sqlstore.Query{Limit: sqlstore.MaxLimit})
	require.NoError(t, err)
	assert.Len(t, recs, delivered, "exactly the delivered credentials have records")

	// The next batch, with room again, gets fresh indexes.
	used := map[uint64]bool{}
	for _, r := range recs {
		used[r.Entries[0].Index] = true
	}
	err = cohort.Issue(ctx, cohort.Config{Issuer: e.is, Status: []*status.Series{e.series}, Records: e.store}, cs[:20],
		func(chunk []cohort.Issued) error {
			for _, o := range chunk {
				assert.False(t, used[o.Entries[0].Index], "index %d reused", o.Entries[0].Index)
			}
			return nil
		})
	require.NoError(t, err)
}

// TestIssueStops: an error from deliver, or the context's end, stops the
// batch and is returned; nothing is delivered after.
func TestIssueStops(t *testing.T) {
	e := newEnv(t, nil)
	cs := badges(t, e.issuer, 300)
	stopErr := errors.New("the caller stops")
	calls := 0
	err := cohort.Issue(context.Background(), cohort.Config{Issuer: e.is, Status: []*status.Series{e.series}, Records: e.store, ChunkSize: 40}, cs,
		func([]cohort.Issued) error {
			calls++
			if calls == 2 {
				return stopErr
			}
			return nil
		})
	require.ErrorIs(t, err, stopErr)
	assert.Equal(t, 2, calls)

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = cohort.Issue(ctx, cohort.Config{Issuer: e.is, Records: e.store, ChunkSize: 40}, cs,
		func([]cohort.Issued) error {
			calls++
			cancel()
			return nil
		})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, calls)
}

// TestIssueWithoutStatus: no series and no records: the credentials are
// signed as given, from their Raw bytes.
func TestIssueWithoutStatus(t *testing.T) {
	e := newEnv(t, nil)
	cs := badges(t, e.issuer, 3)
	var got []cohort.Issued
	require.NoError(t, cohort.Issue(context.Background(), cohort.Config{Issuer: e.is}, cs,
		func(chunk []cohort.Issued) error { got = append(got, chunk...); return nil }))
	require.Len(t, got, 3)
	for _, o := range got {
		require.NoError(t, o.Err)
		assert.Empty(t, o.Entries)
		assert.Empty(t, o.Record.ID)
		assert.NotContains(t, string(o.Signed), "credentialStatus")
	}
}

func TestIssueConfig(t *testing.T) {
	e := newEnv(t, nil)
	ok := func([]cohort.Issued) error { return nil }
	ctx := context.Background()
	for name, tc := range map[string]struct {
		cfg     cohort.Config
		deliver func([]cohort.Issued) error
		want    string
	}{
		"no issuer":      {cohort.Config{}, ok, "Issuer is required"},
		"negative chunk": {cohort.Config{Issuer: e.is, ChunkSize: -1}, ok, "ChunkSize"},
		"nil series":     {cohort.Config{Issuer: e.is, Status: []*status.Series{nil}}, ok, "Status[0]"},
		"no deliver":     {cohort.Config{Issuer: e.is}, nil, "deliver is required"},
	} {
		t.Run(name, func(t *testing.T) {
			err := cohort.Issue(ctx, tc.cfg, nil, tc.deliver)
			require.ErrorIs(t, err, cohort.ErrConfig)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
