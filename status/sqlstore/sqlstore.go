package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/status"
)

// Dialect is the SQL dialect of a database.
type Dialect string

// The dialects supported.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Driver names the database/sql drivers register, as ParseDSN returns them.
const (
	DriverSQLite   = "sqlite" // modernc.org/sqlite
	DriverPostgres = "pgx"    // github.com/jackc/pgx/v5/stdlib
)

// ErrSchemaTooNew is returned by Open for a database migrated by a newer
// version of this package: its schema is not one this version can use.
var ErrSchemaTooNew = errors.New("sqlstore: database schema is newer than this program")

// Config configures Open.
type Config struct {
	// DB is the database. Required. Open neither opens nor closes it.
	DB *sql.DB
	// Dialect is SQLite or Postgres. Required.
	Dialect Dialect
	// Now is the clock for the times recorded; nil means time.Now.
	Now func() time.Time
}

// Store keeps status lists, issuance records and status changes in a SQL
// database. It implements status.Store, status.BatchReserver and
// status.Versioner, and is safe for concurrent use by many goroutines and
// many processes sharing the database.
type Store struct {
	db  *sql.DB
	d   Dialect
	now func() time.Time
}

var (
	_ status.Store         = (*Store)(nil)
	_ status.BatchReserver = (*Store)(nil)
	_ status.Versioner     = (*Store)(nil)
)

// Open checks cfg, applies the pending migrations and returns the Store. A
// database that cannot be reached gives an error wrapping
// status.ErrUnavailable; one with a newer schema, ErrSchemaTooNew.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.DB == nil {
		return nil, &status.FieldError{Field: "DB", Kind: status.ErrConfig, Reason: "required"}
	}
	if cfg.Dialect != SQLite && cfg.Dialect != Postgres {
		return nil, &status.FieldError{Field: "Dialect", Kind: status.ErrConfig, Reason: fmt.Sprintf("%q is not sqlite or postgres", cfg.Dialect)}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Store{db: cfg.DB, d: cfg.Dialect, now: cfg.Now}
	if err := s.db.PingContext(ctx); err != nil {
		return nil, unavailable("connecting", err)
	}
	if err := storeSchema.Migrate(ctx, s.db, s.d, s.now()); err != nil {
		return nil, err
	}
	return s, nil
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.d }

// SQLiteDSN returns the data source name to open the SQLite database file
// path with (driver DriverSQLite): WAL journal, synchronous FULL (a commit
// is on disk before it returns), a 10-second busy timeout for processes
// sharing the file, foreign keys on. The page cache of each connection may
// grow to 64 MiB and statement journals stay in memory: a chunk of records
// inserted at random places of the status-entry index (indexes are drawn at
// random) would otherwise spill pages to the WAL and the journal before the
// commit and read them back, several times per chunk. Neither setting
// weakens durability: what is committed is in the WAL, synced.
func SQLiteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)",
		"cache_size(-65536)", "temp_store(2)"} {
		q.Add("_pragma", p)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// ParseDSN reads a database address as the command line gives it:
// "sqlite:PATH" (or "sqlite://PATH", or "file:PATH") for SQLite, and
// "postgres://…" or "postgresql://…" (a libpq URL) for PostgreSQL. It
// returns the driver name and data source name for sql.Open and the
// dialect.
func ParseDSN(s string) (driverName, dsn string, d Dialect, err error) {
	switch {
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		if _, err := url.Parse(s); err != nil {
			return "", "", "", &status.FieldError{Field: "db", Kind: status.ErrConfig, Reason: "not a PostgreSQL URL (postgres://user@host/db)"}
		}
		return DriverPostgres, s, Postgres, nil
	case strings.HasPrefix(s, "sqlite:"), strings.HasPrefix(s, "file:"):
		_, path, _ := strings.Cut(s, ":")
		path = strings.TrimPrefix(path, "//")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", "", &status.FieldError{Field: "db", Kind: status.ErrConfig, Reason: "sqlite: wants a file path (sqlite:PATH) without ? or #"}
		}
		return DriverSQLite, SQLiteDSN(path), SQLite, nil
	}
	return "", "", "", &status.FieldError{Field: "db", Kind: status.ErrConfig, Reason: "give sqlite:PATH or postgres://user@host/db"}
}

// unavailable wraps a database error: the store cannot serve the request
// now. The cause stays in the error for logs.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	var fe *status.FieldError
	if errors.As(err, &fe) {
		return err // already classified
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &status.FieldError{Field: "database", Kind: status.ErrUnavailable, Reason: op, Err: err}
}

// q rewrites a query written with ? placeholders for the dialect.
func (s *Store) q(query string) string { return s.d.Placeholders(query) }

// Placeholders rewrites a query written with ? placeholders for the
// dialect: PostgreSQL numbers them ($1, $2, …); SQLite takes them as they
// are. Other stores on the same database (package obapi) write their
// queries once, for both dialects, with it.
func (d Dialect) Placeholders(query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// querier is what a transaction and a connection have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeTx runs fn in a write transaction and commits it. On SQLite the
// transaction takes the write lock when it begins (BEGIN IMMEDIATE), so
// that processes sharing the file wait for each other (busy timeout)
// instead of failing when a read turns into a write.
func (s *Store) writeTx(ctx context.Context, op string, fn func(q querier) error) error {
	if s.d == SQLite {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return unavailable(op, err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return unavailable(op, err)
		}
		if err := fn(conn); err != nil {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				// Never give the pool a connection in a transaction.
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			if err == errUnchanged {
				return nil
			}
			return unavailable(op, err)
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			return unavailable(op+": commit", err)
		}
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		if err == errUnchanged {
			return nil
		}
		return unavailable(op, err)
	}
	if err := tx.Commit(); err != nil {
		return unavailable(op+": commit", err)
	}
	return nil
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
