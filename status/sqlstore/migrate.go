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
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one step of the schema: migrations/DIALECT/NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Schema is one forward-only migration history in a database: this
// package's own, or another package's that keeps its tables
// beside these (obapi's). Each history has its own table and its own lock,
// so the histories migrate independently.
type Schema struct {
	// Name says whose schema it is, in errors.
	Name string
	// Table records the migrations applied (version, name, applied_at).
	Table string
	// LockKey is the PostgreSQL advisory lock held while migrating, one
	// per history.
	LockKey int64
	// Files holds the migrations, as migrations/DIALECT/NNNN_name.sql.
	Files fs.FS
}

// storeSchema is the schema of Store.
var storeSchema = &Schema{Name: "status/sqlstore", Table: "schema_migrations", LockKey: 0x6f62_7371_6c73, Files: migrationFiles} // "obsqls"

// Migrations returns the embedded migrations of dialect d, in order.
func Migrations(d Dialect) ([]Migration, error) { return storeSchema.Migrations(d) }

// Migrations returns the schema's migrations for dialect d, in order,
// checking that they are numbered 1, 2, 3, … without a gap.
func (sc *Schema) Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	names, err := fs.Glob(sc.Files, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: %s migration %s is not named NNNN_name.sql", sc.Name, n)
		}
		b, err := fs.ReadFile(sc.Files, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlstore: %s migrations of %s skip from %d to %d", sc.Name, d, i, m.Version)
		}
	}
	return ms, nil
}

// SchemaVersion returns the version of the newest migration applied to
// the database (0 for an empty one).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return storeSchema.Version(ctx, s.db)
}

// Version returns the version of the schema's newest migration applied to
// db (0 for an empty database).
func (sc *Schema) Version(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM "+sc.Table).Scan(&v); err != nil {
		return 0, unavailable("reading the schema version", err)
	}
	return int(v.Int64), nil
}

// Migrate brings the schema of db up to date: the pending migrations are
// applied in one transaction, under the schema's advisory lock on
// PostgreSQL (SQLite's BEGIN IMMEDIATE serializes writers), so that
// processes starting together migrate once. A database at a newer version
// than Files knows gives an error wrapping ErrSchemaTooNew, one that
// cannot be reached an error wrapping status.ErrUnavailable. now stamps
// the migrations applied.
func (sc *Schema) Migrate(ctx context.Context, db *sql.DB, d Dialect, now time.Time) error {
	ms, err := sc.Migrations(d)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return unavailable("connecting", err)
	}
	defer conn.Close()
	create := "CREATE TABLE IF NOT EXISTS " + sc.Table + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
	begin := "BEGIN IMMEDIATE"
	if d == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", sc.LockKey); err != nil {
			return unavailable("locking the schema", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", sc.LockKey)
		if _, err := conn.ExecContext(ctx, create); err != nil {
			return unavailable("creating "+sc.Table, err)
		}
		begin = "BEGIN"
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return unavailable("beginning the migration", err)
	}
	rollback := func() { conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }
	if d == SQLite {
		if _, err := conn.ExecContext(ctx, create); err != nil {
			rollback()
			return unavailable("creating "+sc.Table, err)
		}
	}
	var cur sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM "+sc.Table).Scan(&cur); err != nil {
		rollback()
		return unavailable("reading the schema version", err)
	}
	if int(cur.Int64) > len(ms) {
		rollback()
		var name string
		conn.QueryRowContext(ctx, d.Placeholders("SELECT name FROM "+sc.Table+" WHERE version = ?"), cur.Int64).Scan(&name)
		return fmt.Errorf("%w: the database is at schema version %d (%s) of %s, this program knows versions up to %d: use a newer program, or another database",
			ErrSchemaTooNew, cur.Int64, name, sc.Name, len(ms))
	}
	for _, m := range ms[cur.Int64:] {
		if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
			rollback()
			return unavailable(fmt.Sprintf("applying migration %d (%s)", m.Version, m.Name), err)
		}
		if _, err := conn.ExecContext(ctx, d.Placeholders("INSERT INTO "+sc.Table+" (version, name, applied_at) VALUES (?, ?, ?)"),
			m.Version, m.Name, micros(now)); err != nil {
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

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
