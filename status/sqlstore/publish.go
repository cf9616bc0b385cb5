package sqlstore

import (
	"context"
	"math"
	"time"

	"github.com/microcred/openbadges/status"
)

// Publication is a signed status list credential as stored for a list
// version: the Store is a status.Publisher.
type Publication = status.Publication

var _ status.Publisher = (*Store)(nil)

// Publication returns the signed list credential stored for list id, or
// nil (and no error) if none is.
func (s *Store) Publication(ctx context.Context, id string) (*Publication, error) {
	p := &Publication{List: id}
	var v, at int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT version, credential, signed_at FROM status_publications WHERE list_id = ?"), id).Scan(&v, &p.Credential, &at)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("reading a publication", err)
	}
	p.Version, p.SignedAt = uint64(v), fromMicros(at)
	return p, nil
}

// SavePublication stores p as the list's publication, unless one for a
// later version is stored already, or one for the same version signed at
// or after staleBefore (another server signed it first): then that one is
// returned, so that every server sharing the database serves the same
// bytes for a version. The zero staleBefore never replaces a version.
func (s *Store) SavePublication(ctx context.Context, p Publication, staleBefore time.Time) (*Publication, error) {
	if p.SignedAt.IsZero() {
		p.SignedAt = s.now()
	}
	stale := int64(math.MinInt64)
	if !staleBefore.IsZero() {
		stale = micros(staleBefore)
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO status_publications (list_id, version, credential, signed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (list_id) DO UPDATE SET version = excluded.version, credential = excluded.credential, signed_at = excluded.signed_at
		WHERE status_publications.version < excluded.version
			OR (status_publications.version = excluded.version AND status_publications.signed_at < ?)`), p.List, int64(p.Version), p.Credential, micros(p.SignedAt), stale)
	if err != nil {
		return nil, unavailable("storing a publication", err)
	}
	return s.Publication(ctx, p.List)
}
