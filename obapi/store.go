package obapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/status/sqlstore"
)

// The errors of the store. Each is wrapped with the detail.
var (
	// ErrUnavailable: the database could not serve the request now.
	ErrUnavailable = errors.New("obapi: database unavailable")
	// ErrNotFound: no such account, client, request or token.
	ErrNotFound = errors.New("obapi: not found")
	// ErrConflict: the username is taken, or the code or token was
	// already used.
	ErrConflict = errors.New("obapi: conflict")
	// ErrSchemaTooNew: the database was migrated by a newer program.
	ErrSchemaTooNew = errors.New("obapi: database schema is newer than this program")
	// ErrBadCredentials: the username or password is wrong.
	ErrBadCredentials = errors.New("obapi: wrong username or password")
	// ErrConfig: a configuration field is missing or invalid.
	ErrConfig = errors.New("obapi: invalid configuration")
)

//go:embed migrations
var migrationFiles embed.FS

// StoreConfig configures OpenStore.
type StoreConfig struct {
	// DB is the database. Required. OpenStore neither opens nor closes it.
	DB *sql.DB
	// Dialect is sqlstore.SQLite or sqlstore.Postgres. Required.
	Dialect sqlstore.Dialect
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store keeps the Open Badges API's state in a SQL database, beside the
// tables of status/sqlstore (its tables are prefixed ob_ and it keeps its
// own migration history, ob_schema_migrations). Secrets (passwords,
// client secrets, tokens, codes, session ids) are stored only as hashes.
// It is safe for concurrent use by many goroutines and processes.
type Store struct {
	db  *sql.DB
	d   sqlstore.Dialect
	now func() time.Time
}

// OpenStore checks cfg and brings the schema up to date.
func OpenStore(ctx context.Context, cfg StoreConfig) (*Store, error) {
	if cfg.DB == nil {
		return nil, fmt.Errorf("%w: StoreConfig.DB is required", ErrConfig)
	}
	if cfg.Dialect != sqlstore.SQLite && cfg.Dialect != sqlstore.Postgres {
		return nil, fmt.Errorf("%w: StoreConfig.Dialect %q is not sqlite or postgres", ErrConfig, cfg.Dialect)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Store{db: cfg.DB, d: cfg.Dialect, now: cfg.Now}
	if err := s.db.PingContext(ctx); err != nil {
		return nil, unavailable("connecting", err)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// unavailable wraps a database error with ErrUnavailable, keeping the
// cause for logs; cancellation passes through.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}

// q rewrites ? placeholders for PostgreSQL.
func (s *Store) q(query string) string { return s.d.Placeholders(query) }

func (s *Store) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return 0, unavailable(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, unavailable(op, err)
	}
	return n, nil
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// hashSecret is how every bearer secret is stored: its SHA-256, hex. The
// secrets are 256-bit random values, so a fast hash suffices (no
// dictionary to try); a copy of the database gives no usable token.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// randomToken returns 32 random bytes, hex-encoded.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// migrationsOf returns the embedded migrations of dialect d, in order.
func migrationsOf(d sqlstore.Dialect) ([]sqlstore.Migration, error) {
	dir := path.Join("migrations", string(d))
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []sqlstore.Migration
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("obapi: migration %s is not named NNNN_name.sql", n)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, sqlstore.Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b sqlstore.Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("obapi: migrations of %s skip from %d to %d", d, i, m.Version)
		}
	}
	return ms, nil
}

// advisoryLockKey is the PostgreSQL advisory lock migrations hold (not
// status/sqlstore's: the two histories migrate independently).
const advisoryLockKey = 0x6f62_6170_6931 // "obapi1"

// migrate applies the pending migrations in one transaction under a lock,
// as status/sqlstore does, refusing a schema newer than this program's.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrationsOf(s.d)
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return unavailable("connecting", err)
	}
	defer conn.Close()
	create := "CREATE TABLE IF NOT EXISTS ob_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
	begin := "BEGIN IMMEDIATE"
	if s.d == sqlstore.Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
			return unavailable("locking the schema", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryLockKey)
		if _, err := conn.ExecContext(ctx, create); err != nil {
			return unavailable("creating ob_schema_migrations", err)
		}
		begin = "BEGIN"
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return unavailable("beginning the migration", err)
	}
	rollback := func() { conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }
	if s.d == sqlstore.SQLite {
		if _, err := conn.ExecContext(ctx, create); err != nil {
			rollback()
			return unavailable("creating ob_schema_migrations", err)
		}
	}
	var cur sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM ob_schema_migrations").Scan(&cur); err != nil {
		rollback()
		return unavailable("reading the schema version", err)
	}
	if int(cur.Int64) > len(ms) {
		rollback()
		return fmt.Errorf("%w: the database is at version %d of the Open Badges API schema, this program knows versions up to %d",
			ErrSchemaTooNew, cur.Int64, len(ms))
	}
	for _, m := range ms[cur.Int64:] {
		if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
			rollback()
			return unavailable(fmt.Sprintf("applying migration %d (%s)", m.Version, m.Name), err)
		}
		if _, err := conn.ExecContext(ctx, s.q("INSERT INTO ob_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.Version, m.Name, micros(s.now())); err != nil {
			rollback()
			return unavailable(fmt.Sprintf("recording migration %d", m.Version), err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		rollback()
		return unavailable("committing the migration", err)
	}
	return nil
}

// SchemaVersion returns the newest Open Badges API migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT MAX(version) FROM ob_schema_migrations").Scan(&v); err != nil {
		return 0, unavailable("reading the schema version", err)
	}
	return int(v.Int64), nil
}

// secret returns the named server secret, creating it with a random value
// the first time: every server sharing the database then uses the same.
func (s *Store) secret(ctx context.Context, name string) ([32]byte, error) {
	var key [32]byte
	conflict := " ON CONFLICT (name) DO NOTHING"
	if _, err := s.exec(ctx, "creating a secret", "INSERT INTO ob_secrets (name, value) VALUES (?, ?)"+conflict, name, randomToken()); err != nil {
		return key, err
	}
	var v string
	if err := s.db.QueryRowContext(ctx, s.q("SELECT value FROM ob_secrets WHERE name = ?"), name).Scan(&v); err != nil {
		return key, unavailable("reading a secret", err)
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) != len(key) {
		return key, fmt.Errorf("%w: secret %s is not 32 bytes of hex", ErrUnavailable, name)
	}
	copy(key[:], b)
	return key, nil
}
