package obapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Format is how a stored credential is serialized.
type Format string

// The formats of the API: a JSON credential (embedded proof) or a VC-JWT.
const (
	FormatJSON Format = "json"
	FormatJWS  Format = "jws"
)

// StoredCredential is a credential kept for a learner. Issuer and ID
// identify it (the OB 3.0 equality rule); Body is the credential exactly
// as it was received (JSON, or a compact JWS).
type StoredCredential struct {
	IssuerID string
	ID       string
	Format   Format
	Body     []byte
	// IssuedAt is validFrom (issuanceDate in VCDM 1.1), for "since".
	IssuedAt time.Time
	// StoredAt is when it was last stored.
	StoredAt time.Time
}

// PutCredential stores c for the learner userID, replacing the credential
// with the same issuer and id if there is one (created is then false).
// A replaced credential keeps its place in the list.
func (s *Store) PutCredential(ctx context.Context, userID string, c StoredCredential) (created bool, err error) {
	now := micros(s.now())
	n, err := s.exec(ctx, "updating a credential",
		"UPDATE ob_credentials SET format = ?, body = ?, issued_at = ?, stored_at = ? WHERE user_id = ? AND issuer_id = ? AND credential_id = ?",
		string(c.Format), string(c.Body), micros(c.IssuedAt), now, userID, c.IssuerID, c.ID)
	if err != nil || n > 0 {
		return false, err
	}
	n, err = s.exec(ctx, "storing a credential",
		"INSERT INTO ob_credentials (user_id, issuer_id, credential_id, format, body, issued_at, first_stored_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, issuer_id, credential_id) DO NOTHING",
		userID, c.IssuerID, c.ID, string(c.Format), string(c.Body), micros(c.IssuedAt), now, now)
	if err != nil {
		return false, err
	}
	if n == 0 { // stored by a concurrent request in between: replace it
		_, err = s.exec(ctx, "updating a credential",
			"UPDATE ob_credentials SET format = ?, body = ?, issued_at = ?, stored_at = ? WHERE user_id = ? AND issuer_id = ? AND credential_id = ?",
			string(c.Format), string(c.Body), micros(c.IssuedAt), now, userID, c.IssuerID, c.ID)
		return false, err
	}
	return true, nil
}

// CredentialPage is a page of a learner's credentials.
type CredentialPage struct {
	Credentials []StoredCredential
	// Total counts every credential that matches, on every page.
	Total int
}

// Credentials returns the learner's credentials issued after since (zero:
// all), in the order they were first stored, skipping offset and
// returning at most limit.
func (s *Store) Credentials(ctx context.Context, userID string, since time.Time, offset, limit int) (CredentialPage, error) {
	var page CredentialPage
	var after int64 = -1 << 62
	if !since.IsZero() {
		after = micros(since)
	}
	if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM ob_credentials WHERE user_id = ? AND issued_at > ?"), userID, after).
		Scan(&page.Total); err != nil {
		return page, unavailable("counting credentials", err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT issuer_id, credential_id, format, body, issued_at, stored_at FROM ob_credentials
		WHERE user_id = ? AND issued_at > ? ORDER BY first_stored_at, issuer_id, credential_id LIMIT ? OFFSET ?`),
		userID, after, limit, offset)
	if err != nil {
		return page, unavailable("listing credentials", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c StoredCredential
		var format, body string
		var issued, stored int64
		if err := rows.Scan(&c.IssuerID, &c.ID, &format, &body, &issued, &stored); err != nil {
			return page, unavailable("listing credentials", err)
		}
		c.Format, c.Body, c.IssuedAt, c.StoredAt = Format(format), []byte(body), fromMicros(issued), fromMicros(stored)
		page.Credentials = append(page.Credentials, c)
	}
	if err := rows.Err(); err != nil {
		return page, unavailable("listing credentials", err)
	}
	return page, nil
}

// Profile returns the learner's stored profile (found false if none).
func (s *Store) Profile(ctx context.Context, userID string) (body json.RawMessage, found bool, err error) {
	var b string
	err = s.db.QueryRowContext(ctx, s.q("SELECT body FROM ob_profiles WHERE user_id = ?"), userID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, unavailable("reading a profile", err)
	}
	return json.RawMessage(b), true, nil
}

// PutProfile stores the learner's profile (a JSON Profile), replacing it.
func (s *Store) PutProfile(ctx context.Context, userID string, body json.RawMessage) error {
	if !json.Valid(body) {
		return fmt.Errorf("%w: the profile is not JSON", ErrConfig)
	}
	_, err := s.exec(ctx, "storing a profile",
		"INSERT INTO ob_profiles (user_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
		userID, string(body), micros(s.now()))
	return err
}
