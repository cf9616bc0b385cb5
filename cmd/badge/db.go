package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcapi"
)

// dbFlagDoc documents --db for the commands that take it.
const dbFlagDoc = "the database `DB` of the status lists and issuance records: sqlite:PATH (a file, created if needed) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"

// dbOpenTimeout bounds connecting and migrating at start.
const dbOpenTimeout = 30 * time.Second

// openDB opens the database --db names and brings its schema up to date.
// Errors name the database (without its password) and say what failed.
func openDB(ctx context.Context, spec string) (*sqlstore.Store, func(), error) {
	store, _, closeDB, err := openDBConn(ctx, spec)
	return store, closeDB, err
}

// openDBConn is openDB that also returns the database, for the other
// stores that share it (badge serve --ob-api).
func openDBConn(ctx context.Context, spec string) (*sqlstore.Store, *sql.DB, func(), error) {
	driver, dsn, dialect, err := sqlstore.ParseDSN(spec)
	if err != nil {
		return nil, nil, nil, err
	}
	shown := spec
	if u, err := url.Parse(spec); err == nil && u.User != nil {
		shown = u.Redacted()
	}
	if dialect == sqlstore.SQLite {
		_, path, _ := strings.Cut(spec, ":")
		path = strings.TrimPrefix(path, "//")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, nil, nil, fmt.Errorf("database %s: %w", shown, err)
			}
		}
	}
	if !slices.Contains(sql.Drivers(), driver) {
		return nil, nil, nil, fmt.Errorf("database %s: this build of badge has no %s driver", shown, dialect)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("database %s: %w", shown, err)
	}
	octx, cancel := context.WithTimeout(ctx, dbOpenTimeout)
	defer cancel()
	store, err := sqlstore.Open(octx, sqlstore.Config{DB: db, Dialect: dialect})
	if err != nil {
		db.Close()
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %v", dbOpenTimeout)
		}
		return nil, nil, nil, fmt.Errorf("database %s: %w", shown, err)
	}
	return store, db, func() { db.Close() }, nil
}

// dbStatusIndex is the vcapi.StatusIndex of badge serve --db: the
// issuance records of the database. A record names the issuer by its id
// (DID); the server's issuers are known by name, mapped with names.
type dbStatusIndex struct {
	store *sqlstore.Store
	mu    sync.RWMutex
	names map[string]string // issuer name → issuer id
}

// Put implements vcapi.StatusIndex: the record is committed before Put
// returns.
func (x *dbStatusIndex) Put(ctx context.Context, r vcapi.StatusRecord) error {
	rec := sqlstore.Record{CredentialID: r.CredentialID, Issuer: r.IssuerID, SubjectID: r.SubjectID,
		AchievementID: r.AchievementID, IssuedAt: r.IssuedAt, RequestID: r.RequestID}
	if rec.Issuer == "" {
		rec.Issuer = r.Issuer
	}
	for _, e := range r.Entries {
		rec.Entries = append(rec.Entries, sqlstore.Entry{Purpose: e.Purpose, List: e.List, Index: e.Index})
	}
	return x.store.AddRecords(ctx, []sqlstore.Record{rec})
}

// Get implements vcapi.StatusIndex: the latest record of the credential
// issued by the issuer named.
func (x *dbStatusIndex) Get(ctx context.Context, issuer, credentialID string) (*vcapi.StatusRecord, error) {
	x.mu.RLock()
	id := x.names[issuer]
	x.mu.RUnlock()
	if id == "" {
		id = issuer
	}
	var last *sqlstore.Record
	q := sqlstore.Query{CredentialID: credentialID, Issuer: id, Limit: sqlstore.MaxLimit}
	for {
		recs, err := x.store.Records(ctx, q)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			break
		}
		last = &recs[len(recs)-1]
		q.After = last.Seq
	}
	if last == nil {
		return nil, nil
	}
	r := &vcapi.StatusRecord{Issuer: issuer, CredentialID: last.CredentialID, IssuerID: last.Issuer, SubjectID: last.SubjectID,
		AchievementID: last.AchievementID, RequestID: last.RequestID, IssuedAt: last.IssuedAt}
	for _, e := range last.Entries {
		r.Entries = append(r.Entries, vcapi.StatusRecordEntry{List: e.List, Index: e.Index, Purpose: e.Purpose})
	}
	return r, nil
}

func (x *dbStatusIndex) setNames(m map[string]string) {
	x.mu.Lock()
	x.names = m
	x.mu.Unlock()
}

// dbPath makes the path of a sqlite: database relative to the command's
// directory.
func dbPath(e *env, spec string) string {
	if p, ok := strings.CutPrefix(spec, "sqlite:"); ok && p != "" && !strings.HasPrefix(p, "//") {
		return "sqlite:" + e.path(p)
	}
	return spec
}
