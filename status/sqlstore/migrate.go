package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one step of the schema: migrations/DIALECT/NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations of dialect d, in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration %s is not named NNNN_name.sql", n)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlstore: migrations of %s skip from %d to %d", d, i, m.Version)
		}
	}
	return ms, nil
}

// SchemaVersion returns the version of the newest migration applied to
// the database (0 for an empty one).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, unavailable("reading the schema version", err)
	}
	return int(v.Int64), nil
}

// advisoryLockKey is the PostgreSQL advisory lock migrations hold.
const advisoryLockKey = 0x6f62_7371_6c73 // "obsqls"

// migrate brings the schema up to date under a lock, refusing a newer one.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := Migrations(s.d)
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return unavailable("connecting", err)
	}
	defer conn.Close()
	create := "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
	if s.d == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
			return unavailable("locking the schema", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryLockKey)
		if _, err := conn.ExecContext(ctx, create); err != nil {
			return unavailable("creating schema_migrations", err)
		}
	}
	begin := func() (func() error, func(), error) {
		if s.d == SQLite {
			if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
				return nil, nil, err
			}
			return func() error { _, err := conn.ExecContext(ctx, "COMMIT"); return err },
				func() { conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }, nil
		}
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			return nil, nil, err
		}
		return func() error { _, err := conn.ExecContext(ctx, "COMMIT"); return err },
			func() { conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }, nil
	}
	commit, rollback, err := begin()
	if err != nil {
		return unavailable("beginning the migration", err)
	}
	if s.d == SQLite {
		if _, err := conn.ExecContext(ctx, create); err != nil {
			rollback()
			return unavailable("creating schema_migrations", err)
		}
	}
	var cur sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&cur); err != nil {
		rollback()
		return unavailable("reading the schema version", err)
	}
	known := len(ms)
	if int(cur.Int64) > known {
		rollback()
		var name string
		conn.QueryRowContext(ctx, s.q("SELECT name FROM schema_migrations WHERE version = ?"), cur.Int64).Scan(&name)
		return fmt.Errorf("%w: the database is at schema version %d (%s), this program knows versions up to %d: use a newer program, or another database",
			ErrSchemaTooNew, cur.Int64, name, known)
	}
	for _, m := range ms[cur.Int64:] {
		if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
			rollback()
			return unavailable(fmt.Sprintf("applying migration %d (%s)", m.Version, m.Name), err)
		}
		if _, err := conn.ExecContext(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.Version, m.Name, micros(s.now())); err != nil {
			rollback()
			return unavailable(fmt.Sprintf("recording migration %d", m.Version), err)
		}
	}
	if err := commit(); err != nil {
		rollback()
		return unavailable("committing the migration", err)
	}
	return nil
}

// errNoRows is sql.ErrNoRows, for errors.Is in this package.
var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
