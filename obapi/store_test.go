package obapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status/sqlstore"
)

// The store's tests run on SQLite and PostgreSQL alike (eachDB).

func openTestStore(t *testing.T, db *sql.DB, d sqlstore.Dialect, c *clock) *Store {
	t.Helper()
	s, err := OpenStore(context.Background(), StoreConfig{DB: db, Dialect: d, Now: c.Now})
	require.NoError(t, err)
	return s
}

func TestStoreMigrations(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		ctx := context.Background()
		// Beside status/sqlstore's tables, in either order.
		_, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: d})
		require.NoError(t, err)
		s := openTestStore(t, db, d, newClock())
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		ms, err := schema.Migrations(d)
		require.NoError(t, err)
		assert.Equal(t, len(ms), v)
		openTestStore(t, db, d, newClock()) // idempotent

		_, err = db.ExecContext(ctx, fmt.Sprintf("INSERT INTO ob_schema_migrations (version, name, applied_at) VALUES (%d, 'future', 0)", v+1))
		require.NoError(t, err)
		_, err = OpenStore(ctx, StoreConfig{DB: db, Dialect: d})
		require.ErrorIs(t, err, ErrSchemaTooNew)
		assert.Contains(t, err.Error(), fmt.Sprintf("schema version %d (future) of the Open Badges API", v+1))
		_, err = sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: d})
		require.NoError(t, err, "the two histories are independent")
	})
	_, err := OpenStore(context.Background(), StoreConfig{Dialect: sqlstore.SQLite})
	require.ErrorIs(t, err, ErrConfig)
}

func TestStoreAccounts(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		ctx := context.Background()
		s := openTestStore(t, db, d, newClock())
		a, err := s.AddAccount(ctx, "ada", "correct horse", 4)
		require.NoError(t, err)
		_, err = s.AddAccount(ctx, "ada", "another password", 4)
		require.ErrorIs(t, err, ErrConflict)
		for _, bad := range [][2]string{{"", "long enough"}, {"bob", "short"}, {"bob", string(make([]byte, MaxPasswordBytes+1))}} {
			_, err = s.AddAccount(ctx, bad[0], bad[1], 4)
			require.ErrorIs(t, err, ErrConfig, bad[0])
		}
		got, err := s.Authenticate(ctx, "ada", "correct horse")
		require.NoError(t, err)
		assert.Equal(t, a, got)
		_, err = s.Authenticate(ctx, "ada", "wrong horse")
		require.ErrorIs(t, err, ErrBadCredentials)
		_, err = s.Authenticate(ctx, "nobody", "correct horse")
		require.ErrorIs(t, err, ErrBadCredentials)
		var hash string
		require.NoError(t, db.QueryRow(s.q("SELECT password_hash FROM ob_accounts WHERE id = ?"), a.ID).Scan(&hash))
		assert.NotContains(t, hash, "correct horse")
	})
}

func TestStoreClientsAndGrants(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		ctx := context.Background()
		c := newClock()
		s := openTestStore(t, db, d, c)
		md := ClientMetadata{ClientName: "W", ClientURI: "https://w.example", SoftwareID: "w", SoftwareVersion: "1",
			RedirectURIs: []string{"https://w.example/cb"}, Scope: ScopeCredentialReadonly}
		require.NoError(t, ValidateClientMetadata(&md))
		client, secret, err := s.RegisterClient(ctx, md)
		require.NoError(t, err)
		require.NoError(t, s.CheckClientSecret(ctx, client.ID, secret))
		require.ErrorIs(t, s.CheckClientSecret(ctx, client.ID, secret+"x"), ErrBadCredentials)
		require.ErrorIs(t, s.CheckClientSecret(ctx, "nope", secret), ErrBadCredentials)
		got, err := s.ClientByID(ctx, client.ID)
		require.NoError(t, err)
		assert.Equal(t, md, got.Metadata)

		// An authorization request: approved once, one code, redeemed once.
		r, err := s.createAuthRequest(ctx, authRequestData{ClientID: client.ID, Scopes: []string{ScopeCredentialReadonly}}, time.Minute)
		require.NoError(t, err)
		require.ErrorIs(t, s.saveAuthCode(ctx, r.ID, "code", time.Minute), ErrConflict, "no code before consent")
		require.NoError(t, s.approveAuthRequest(ctx, r.ID, "user-1"))
		require.ErrorIs(t, s.approveAuthRequest(ctx, r.ID, "user-2"), ErrNotFound, "answered once")
		require.NoError(t, s.saveAuthCode(ctx, r.ID, "code", time.Minute))
		require.ErrorIs(t, s.saveAuthCode(ctx, r.ID, "code2", time.Minute), ErrConflict, "one code")
		got2, err := s.redeemCode(ctx, "code")
		require.NoError(t, err)
		assert.Equal(t, "user-1", got2.UserID)
		g := grant{Family: r.ID, ClientID: client.ID, UserID: "user-1", Scopes: []string{ScopeCredentialReadonly}, AuthTime: c.Now()}
		access, _, err := s.createToken(ctx, kindAccess, g, time.Hour)
		require.NoError(t, err)
		refresh, _, err := s.createToken(ctx, kindRefresh, g, 24*time.Hour)
		require.NoError(t, err)
		_, err = s.accessGrant(ctx, access)
		require.NoError(t, err)
		_, err = s.redeemCode(ctx, "code")
		require.ErrorIs(t, err, ErrConflict, "replayed")
		_, err = s.accessGrant(ctx, access)
		require.ErrorIs(t, err, ErrNotFound, "the replay revoked the family")
		_, err = s.refreshGrant(ctx, refresh)
		require.ErrorIs(t, err, ErrNotFound)

		// Rotation: a second use revokes the family.
		g.Family = "family-2"
		refresh, _, err = s.createToken(ctx, kindRefresh, g, 24*time.Hour)
		require.NoError(t, err)
		require.NoError(t, s.useRefresh(ctx, refresh))
		next, _, err := s.createToken(ctx, kindRefresh, g, 24*time.Hour)
		require.NoError(t, err)
		require.Error(t, s.useRefresh(ctx, refresh))
		_, err = s.refreshGrant(ctx, next)
		require.ErrorIs(t, err, ErrNotFound)

		// Expiry, and revocation by another client is ignored.
		g.Family = "family-3"
		access, _, err = s.createToken(ctx, kindAccess, g, time.Hour)
		require.NoError(t, err)
		require.NoError(t, s.revokeToken(ctx, access, "another client"))
		_, err = s.accessGrant(ctx, access)
		require.NoError(t, err)
		c.Advance(time.Hour)
		_, err = s.accessGrant(ctx, access)
		require.ErrorIs(t, err, ErrNotFound)

		// Stored as hashes only.
		var n int
		require.NoError(t, db.QueryRow(s.q("SELECT COUNT(*) FROM ob_tokens WHERE hash = ?"), access).Scan(&n))
		assert.Zero(t, n)
		require.NoError(t, db.QueryRow(s.q("SELECT COUNT(*) FROM ob_tokens WHERE hash = ?"), hashSecret(access)).Scan(&n))
		assert.Equal(t, 1, n)

		// Sessions.
		sid, err := s.createSession(ctx, "user-1", time.Hour)
		require.NoError(t, err)
		u, err := s.sessionUser(ctx, sid)
		require.NoError(t, err)
		assert.Equal(t, "user-1", u)
		c.Advance(2 * time.Hour)
		_, err = s.sessionUser(ctx, sid)
		require.ErrorIs(t, err, ErrNotFound)
		require.NoError(t, s.Purge(ctx, c.Now()))
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM ob_sessions").Scan(&n))
		assert.Zero(t, n)
	})
}

func TestStoreCredentials(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		ctx := context.Background()
		c := newClock()
		s := openTestStore(t, db, d, c)
		day := func(n int) time.Time { return time.Date(2026, 1, n, 0, 0, 0, 0, time.UTC) }
		for i := 1; i <= 5; i++ {
			c.Advance(time.Second)
			created, err := s.PutCredential(ctx, "ada", StoredCredential{IssuerID: "did:example:i", ID: fmt.Sprintf("urn:c:%d", i),
				Format: FormatJSON, Body: []byte(fmt.Sprintf(`{"n":%d}`, i)), IssuedAt: day(i)})
			require.NoError(t, err)
			assert.True(t, created)
		}
		// Same id from another issuer: another credential.
		created, err := s.PutCredential(ctx, "ada", StoredCredential{IssuerID: "did:example:other", ID: "urn:c:1", Format: FormatJWS, Body: []byte("a.b.c"), IssuedAt: day(6)})
		require.NoError(t, err)
		assert.True(t, created)
		// Replacing keeps the place.
		created, err = s.PutCredential(ctx, "ada", StoredCredential{IssuerID: "did:example:i", ID: "urn:c:2", Format: FormatJSON, Body: []byte(`{"n":22}`), IssuedAt: day(2)})
		require.NoError(t, err)
		assert.False(t, created)

		page, err := s.Credentials(ctx, "ada", time.Time{}, 0, 3)
		require.NoError(t, err)
		assert.Equal(t, 6, page.Total)
		require.Len(t, page.Credentials, 3)
		assert.Equal(t, `{"n":22}`, string(page.Credentials[1].Body))
		page, err = s.Credentials(ctx, "ada", time.Time{}, 3, 3)
		require.NoError(t, err)
		require.Len(t, page.Credentials, 3)
		assert.Equal(t, FormatJWS, page.Credentials[2].Format)
		page, err = s.Credentials(ctx, "ada", day(4), 0, 10)
		require.NoError(t, err)
		assert.Equal(t, 2, page.Total, "issued after day 4")
		page, err = s.Credentials(ctx, "bob", time.Time{}, 0, 10)
		require.NoError(t, err)
		assert.Zero(t, page.Total)

		_, found, err := s.Profile(ctx, "ada")
		require.NoError(t, err)
		assert.False(t, found)
		require.NoError(t, s.PutProfile(ctx, "ada", json.RawMessage(`{"id":"urn:a","type":["Profile"]}`)))
		require.NoError(t, s.PutProfile(ctx, "ada", json.RawMessage(`{"id":"urn:b","type":["Profile"]}`)))
		p, found, err := s.Profile(ctx, "ada")
		require.NoError(t, err)
		assert.True(t, found)
		assert.JSONEq(t, `{"id":"urn:b","type":["Profile"]}`, string(p))
		require.ErrorIs(t, s.PutProfile(ctx, "ada", json.RawMessage(`{`)), ErrConfig)
	})
}
