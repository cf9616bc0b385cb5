//go:build !js

package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, for tests
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the SQLite driver, for tests

	"github.com/microcred/openbadges/status/sqlstore"
)

// PostgresEnv names the variable holding the DSN of the PostgreSQL server
// the tests use (a postgres:// URL); RequirePostgresEnv, when set to 1,
// makes a missing server a failure rather than a skip (CI sets it).
const (
	PostgresEnv        = "OPENBADGES_TEST_POSTGRES"
	RequirePostgresEnv = "OPENBADGES_REQUIRE_POSTGRES"
)

// SQLitePath returns a new database file's path in a temporary directory.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "badges.db")
}

// OpenSQLite opens the SQLite database file path as sqlstore wants it.
func OpenSQLite(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqlstore.DriverSQLite, sqlstore.SQLiteDSN(path))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN returns the DSN of the test server, or skips the test (fails
// it where RequirePostgresEnv is 1).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if os.Getenv(RequirePostgresEnv) == "1" {
			t.Fatalf("%s is not set but %s=1: the PostgreSQL tests must run here", PostgresEnv, RequirePostgresEnv)
		}
		t.Skipf("no PostgreSQL server: set %s to a postgres:// URL to run this test (.ci/run starts one)", PostgresEnv)
	}
	return dsn
}

// PostgresSchema creates a schema of its own for the test in the test
// server and returns the DSN that uses it; the schema is dropped at the
// end of the test.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	admin, err := sql.Open(sqlstore.DriverPostgres, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	_, err = admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema)
	require.NoError(t, err, "creating a schema in %s", PostgresEnv)
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres opens dsn.
func OpenPostgres(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqlstore.DriverPostgres, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// NewSQLiteStore opens a store in a new SQLite file.
func NewSQLiteStore(t *testing.T) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: OpenSQLite(t, SQLitePath(t)), Dialect: sqlstore.SQLite})
	require.NoError(t, err)
	return s
}

// NewPostgresStore opens a store in a new schema of the test server.
func NewPostgresStore(t *testing.T) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), sqlstore.Config{DB: OpenPostgres(t, PostgresSchema(t)), Dialect: sqlstore.Postgres})
	require.NoError(t, err)
	return s
}
