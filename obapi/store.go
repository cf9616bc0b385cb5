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
	// ErrSchemaTooNew is sqlstore.ErrSchemaTooNew: the database was
	// migrated by a newer program.
	ErrSchemaTooNew = sqlstore.ErrSchemaTooNew
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

// schema is the Open Badges API's migration history, beside status/sqlstore's
// (its own table and advisory lock: the two histories migrate independently).
var schema = &sqlstore.Schema{Name: "the Open Badges API", Table: "ob_schema_migrations", LockKey: 0x6f62_6170_6931, Files: migrationFiles} // "obapi1"

// migrate applies the pending migrations, refusing a schema newer than this
// program's (ErrSchemaTooNew); other failures are ErrUnavailable.
func (s *Store) migrate(ctx context.Context) error {
	err := schema.Migrate(ctx, s.db, s.d, s.now())
	if errors.Is(err, ErrSchemaTooNew) {
		return err
	}
	return unavailable("migrating", err)
}

// SchemaVersion returns the newest Open Badges API migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schema.Version(ctx, s.db)
	return v, unavailable("reading the schema version", err)
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
