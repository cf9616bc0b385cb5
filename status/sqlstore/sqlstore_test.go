package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// each runs fn against a SQLite store and a PostgreSQL one.
func each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, storetest.NewSQLiteStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.NewPostgresStore(t)) })
}

func TestMigrationsRecorded(t *testing.T) {
	each(t, func(t *testing.T, s *sqlstore.Store) {
		ms, err := sqlstore.Migrations(s.Dialect())
		require.NoError(t, err)
		v, err := s.SchemaVersion(context.Background())
		require.NoError(t, err)
		assert.Equal(t, len(ms), v)
	})
}

func TestSchemaTooNewRefused(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		_, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: d})
		require.NoError(t, err)
		q := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)"
		_, err = db.ExecContext(ctx, q)
		require.NoError(t, err)
		_, err = sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: d})
		require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
		assert.Contains(t, err.Error(), "schema version 999 (from_the_future)")
		assert.Contains(t, err.Error(), "use a newer program")
	}
	t.Run("sqlite", func(t *testing.T) { check(t, storetest.OpenSQLite(t, storetest.SQLitePath(t)), sqlstore.SQLite) })
	t.Run("postgres", func(t *testing.T) {
		check(t, storetest.OpenPostgres(t, storetest.PostgresSchema(t)), sqlstore.Postgres)
	})
}

func TestRecordsAndQueries(t *testing.T) {
	each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		l, err := status.NewLists(status.ListsConfig{Store: s})
		require.NoError(t, err)
		const rev, sus = "https://example.com/status/r", "https://example.com/status/s"
		require.NoError(t, l.Create(ctx, status.ListConfig{ID: rev, Issuer: "did:example:i"}))
		require.NoError(t, l.Create(ctx, status.ListConfig{ID: sus, Issuer: "did:example:i", Purpose: status.PurposeSuspension}))
		var recs []sqlstore.Record
		for i := range 30 {
			er, err := l.Allocate(ctx, rev)
			require.NoError(t, err)
			es, err := l.Allocate(ctx, sus)
			require.NoError(t, err)
			recs = append(recs, sqlstore.Record{
				CredentialID: fmt.Sprintf("urn:uuid:%d", i), Issuer: "did:example:i",
				SubjectID: fmt.Sprintf("did:example:learner%d", i%3), AchievementID: fmt.Sprintf("https://example.com/a/%d", i%5),
				RequestID: "req", Entries: []sqlstore.Entry{{Purpose: "revocation", List: rev, Index: er.Index}, {Purpose: "suspension", List: sus, Index: es.Index}},
			})
		}
		require.NoError(t, s.AddRecords(ctx, recs))

		got, err := s.Records(ctx, sqlstore.Query{CredentialID: "urn:uuid:7"})
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, "did:example:learner1", got[0].SubjectID)
		require.Len(t, got[0].Entries, 2)
		assert.ElementsMatch(t, recs[7].Entries, got[0].Entries)

		got, err = s.Records(ctx, sqlstore.Query{SubjectID: "did:example:learner2"})
		require.NoError(t, err)
		assert.Len(t, got, 10)
		got, err = s.Records(ctx, sqlstore.Query{AchievementID: "https://example.com/a/4", SubjectID: "did:example:learner1"})
		require.NoError(t, err)
		assert.Len(t, got, 2) // i = 4 and 19
		got, err = s.Records(ctx, sqlstore.Query{List: sus, Limit: 7})
		require.NoError(t, err)
		assert.Len(t, got, 7)
		more, err := s.Records(ctx, sqlstore.Query{List: sus, After: got[6].Seq})
		require.NoError(t, err)
		assert.Len(t, more, 23)

		// A revocation, with why and by whom, shows in the records and the
		// history.
		cctx := status.WithChangeInfo(ctx, status.ChangeInfo{Reason: "plagiarism", RequestID: "req-9", Actor: "registrar", CredentialID: "urn:uuid:7"})
		v0, err := s.Version(ctx, rev)
		require.NoError(t, err)
		require.NoError(t, l.Revoke(cctx, rev, recs[7].Entries[0].Index))
		require.NoError(t, l.Revoke(cctx, rev, recs[7].Entries[0].Index)) // no change: not recorded
		v1, err := s.Version(ctx, rev)
		require.NoError(t, err)
		assert.Equal(t, v0+1, v1)
		got, err = s.Records(ctx, sqlstore.Query{CredentialID: "urn:uuid:7"})
		require.NoError(t, err)
		for _, e := range got[0].Entries {
			assert.Equal(t, map[bool]uint64{true: 1, false: 0}[e.Purpose == "revocation"], e.Value, e.Purpose)
		}
		ch, err := s.Changes(ctx, rev, int64(recs[7].Entries[0].Index), 0)
		require.NoError(t, err)
		require.Len(t, ch, 1)
		assert.True(t, ch[0].Set())
		assert.Equal(t, "plagiarism", ch[0].Reason)
		assert.Equal(t, "req-9", ch[0].RequestID)
		assert.Equal(t, "registrar", ch[0].Actor)
		assert.WithinDuration(t, time.Now(), ch[0].At, time.Minute)
		// Suspend and reinstate: two changes, set then cleared.
		require.NoError(t, l.Suspend(ctx, sus, recs[3].Entries[1].Index))
		require.NoError(t, l.Reinstate(ctx, sus, recs[3].Entries[1].Index))
		ch, err = s.Changes(ctx, sus, -1, 0)
		require.NoError(t, err)
		require.Len(t, ch, 2)
		assert.True(t, ch[0].Set())
		assert.False(t, ch[1].Set())

		// Exports.
		var jl bytes.Buffer
		n, err := s.Export(ctx, &jl, sqlstore.Query{Limit: 4}, sqlstore.FormatJSONLines)
		require.NoError(t, err)
		assert.Equal(t, 30, n)
		lines := strings.Split(strings.TrimSpace(jl.String()), "\n")
		require.Len(t, lines, 30)
		var r sqlstore.Record
		require.NoError(t, json.Unmarshal([]byte(lines[7]), &r))
		assert.Equal(t, "urn:uuid:7", r.CredentialID)
		var cb bytes.Buffer
		n, err = s.Export(ctx, &cb, sqlstore.Query{SubjectID: "did:example:learner1"}, sqlstore.FormatCSV)
		require.NoError(t, err)
		assert.Equal(t, 10, n)
		rows, err := csv.NewReader(&cb).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, sqlstore.CSVHeader, rows[0])
		assert.Len(t, rows, 1+20)
		_, err = s.Export(ctx, &cb, sqlstore.Query{}, "xml")
		assert.ErrorIs(t, err, status.ErrConfig)
	})
}

func TestRecordsRefuseIndexReuse(t *testing.T) {
	each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		e := []sqlstore.Entry{{Purpose: "revocation", List: "https://example.com/l", Index: 5}}
		require.NoError(t, s.AddRecords(ctx, []sqlstore.Record{{Issuer: "i", CredentialID: "a", Entries: e}}))
		err := s.AddRecords(ctx, []sqlstore.Record{{Issuer: "i", CredentialID: "b"}, {Issuer: "i", CredentialID: "c", Entries: e}})
		require.Error(t, err)
		got, err := s.Records(ctx, sqlstore.Query{})
		require.NoError(t, err)
		assert.Len(t, got, 1, "the failed batch left nothing behind")
		err = s.AddRecords(ctx, []sqlstore.Record{{CredentialID: "x"}})
		var fe *status.FieldError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "records[0].issuer", fe.Field)
	})
}

func TestPublicationShared(t *testing.T) {
	each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p, err := s.Publication(ctx, "https://example.com/l")
		require.NoError(t, err)
		assert.Nil(t, p)
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 2, Credential: []byte("two")}, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, "two", string(p.Credential))
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 1, Credential: []byte("one")}, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, "two", string(p.Credential), "an older version never replaces a newer one")
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 3, Credential: []byte("three")}, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, uint64(3), p.Version)
		// The same version again: kept unless the stored one is stale.
		at := time.Now()
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 3, Credential: []byte("three again"), SignedAt: at}, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, "three", string(p.Credential), "a version is not replaced without staleBefore")
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 3, Credential: []byte("three again"), SignedAt: at}, at)
		require.NoError(t, err)
		assert.Equal(t, "three again", string(p.Credential), "a stale publication is replaced")
		p, err = s.SavePublication(ctx, sqlstore.Publication{List: "https://example.com/l", Version: 3, Credential: []byte("racer"), SignedAt: at.Add(time.Second)}, at)
		require.NoError(t, err)
		assert.Equal(t, "three again", string(p.Credential), "of two servers renewing a version, the first one's stays")
	})
}

// Bad input: each gives a clear error at Open, wrapping
// status.ErrUnavailable, or a typed configuration error.
func TestOpenBadInput(t *testing.T) {
	ctx := context.Background()
	t.Run("config", func(t *testing.T) {
		_, err := sqlstore.Open(ctx, sqlstore.Config{})
		assert.ErrorIs(t, err, status.ErrConfig)
		_, err = sqlstore.Open(ctx, sqlstore.Config{DB: &sql.DB{}, Dialect: "oracle"})
		assert.ErrorIs(t, err, status.ErrConfig)
		for _, dsn := range []string{"", "mysql://x", "sqlite:", "sqlite:a?b"} {
			_, _, _, err := sqlstore.ParseDSN(dsn)
			assert.ErrorIs(t, err, status.ErrConfig, dsn)
		}
		drv, _, d, err := sqlstore.ParseDSN("sqlite:/tmp/x.db")
		require.NoError(t, err)
		assert.Equal(t, sqlstore.DriverSQLite, drv)
		assert.Equal(t, sqlstore.SQLite, d)
	})
	t.Run("unreachable postgres", func(t *testing.T) {
		// A socket directory with no server in it.
		db := storetest.OpenPostgres(t, "postgres://badge@/postgres?host="+url.QueryEscape(t.TempDir())+"&connect_timeout=2")
		_, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: sqlstore.Postgres})
		require.ErrorIs(t, err, status.ErrUnavailable)
		assert.Contains(t, err.Error(), "connecting")
	})
	t.Run("wrong password", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		admin := storetest.OpenPostgres(t, dsn)
		_, err := admin.ExecContext(ctx, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'badge_pw') THEN CREATE ROLE badge_pw LOGIN PASSWORD 'right'; END IF; END $$")
		require.NoError(t, err)
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		u.User = url.UserPassword("badge_pw", "wrong")
		_, err = sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenPostgres(t, u.String()), Dialect: sqlstore.Postgres})
		require.ErrorIs(t, err, status.ErrUnavailable)
		assert.Contains(t, err.Error(), "password authentication failed")
	})
	t.Run("read-only sqlite file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			// root writes through file modes: make the file immutable to
			// the process instead, with a read-only open.
			path := storetest.SQLitePath(t)
			s, err := sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenSQLite(t, path), Dialect: sqlstore.SQLite})
			require.NoError(t, err)
			_ = s
			ro, err := sql.Open(sqlstore.DriverSQLite, "file:"+path+"?mode=ro")
			require.NoError(t, err)
			defer ro.Close()
			rs, err := sqlstore.Open(ctx, sqlstore.Config{DB: ro, Dialect: sqlstore.SQLite})
			if err == nil {
				err = rs.Create(ctx, &status.ListState{ID: "x", Issuer: "i", Purpose: "revocation", Entries: status.MinEntries, Size: 1,
					Seed: make([]byte, 32), Bits: make([]byte, status.MinEntries/8)})
			}
			require.ErrorIs(t, err, status.ErrUnavailable)
			assert.Contains(t, err.Error(), "readonly")
			return
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "ro.db")
		_, err := sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenSQLite(t, path), Dialect: sqlstore.SQLite})
		require.NoError(t, err)
		require.NoError(t, os.Chmod(dir, 0o500))
		require.NoError(t, os.Chmod(path, 0o400))
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		_, err = sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenSQLite(t, path), Dialect: sqlstore.SQLite})
		require.ErrorIs(t, err, status.ErrUnavailable)
	})
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "junk.db")
		require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("junk"), 1024), 0o600))
		_, err := sqlstore.Open(ctx, sqlstore.Config{DB: storetest.OpenSQLite(t, path), Dialect: sqlstore.SQLite})
		require.ErrorIs(t, err, status.ErrUnavailable)
	})
}
