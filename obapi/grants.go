package obapi

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ClientMetadata is what a client registers (RFC 7591 as the Open Badges
// API profiles it).
type ClientMetadata struct {
	ClientName              string   `json:"client_name"`
	ClientURI               string   `json:"client_uri"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	TOSURI                  string   `json:"tos_uri,omitempty"`
	PolicyURI               string   `json:"policy_uri,omitempty"`
	SoftwareID              string   `json:"software_id"`
	SoftwareVersion         string   `json:"software_version"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	Scope                   string   `json:"scope"`
	Contacts                []string `json:"contacts,omitempty"`
}

// Client is a registered client.
type Client struct {
	ID       string
	Metadata ClientMetadata
	IssuedAt time.Time
}

// RegisterClient stores a new client with md (already validated) and
// returns it with its secret, which is shown only this once.
func (s *Store) RegisterClient(ctx context.Context, md ClientMetadata) (Client, string, error) {
	b, err := json.Marshal(md)
	if err != nil {
		return Client{}, "", err
	}
	c := Client{ID: newUUID(), Metadata: md, IssuedAt: s.now().UTC().Truncate(time.Second)}
	secret := randomToken()
	if _, err := s.exec(ctx, "registering a client", "INSERT INTO ob_clients (id, secret_hash, metadata, created_at) VALUES (?, ?, ?, ?)",
		c.ID, hashSecret(secret), string(b), micros(c.IssuedAt)); err != nil {
		return Client{}, "", err
	}
	return c, secret, nil
}

// ClientByID returns a registered client (ErrNotFound if none).
func (s *Store) ClientByID(ctx context.Context, id string) (Client, error) {
	c, _, err := s.client(ctx, id)
	return c, err
}

func (s *Store) client(ctx context.Context, id string) (Client, string, error) {
	var md, secretHash string
	var created int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT metadata, secret_hash, created_at FROM ob_clients WHERE id = ?"), id).Scan(&md, &secretHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Client{}, "", fmt.Errorf("%w: client %q", ErrNotFound, id)
	}
	if err != nil {
		return Client{}, "", unavailable("reading a client", err)
	}
	c := Client{ID: id, IssuedAt: fromMicros(created)}
	if err := json.Unmarshal([]byte(md), &c.Metadata); err != nil {
		return Client{}, "", unavailable("reading a client", err)
	}
	return c, secretHash, nil
}

// CheckClientSecret returns nil when secret is client id's secret, and an
// error wrapping ErrBadCredentials otherwise.
func (s *Store) CheckClientSecret(ctx context.Context, id, secret string) error {
	_, h, err := s.client(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: unknown client", ErrBadCredentials)
	}
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(h), []byte(hashSecret(secret))) != 1 {
		return fmt.Errorf("%w: wrong client secret", ErrBadCredentials)
	}
	return nil
}

// authRequestData is what the authorization request asked for.
type authRequestData struct {
	ClientID      string   `json:"client_id"`
	RedirectURI   string   `json:"redirect_uri"`
	Scopes        []string `json:"scopes"`
	State         string   `json:"state"`
	Nonce         string   `json:"nonce,omitempty"`
	CodeChallenge string   `json:"code_challenge"`
	ResponseType  string   `json:"response_type"`
	ResponseMode  string   `json:"response_mode,omitempty"`
}

// The life of an authorization request.
const (
	requestPending  = 0 // waiting for the learner
	requestApproved = 1 // the learner consented; a code may be issued
	requestRedeemed = 2 // its code was presented at the token endpoint
	requestFinished = 3 // tokens were issued
)

// authRequest is a stored authorization request.
type authRequest struct {
	ID       string
	Data     authRequestData
	UserID   string
	AuthTime time.Time
	State    int
}

func (s *Store) createAuthRequest(ctx context.Context, d authRequestData, ttl time.Duration) (authRequest, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return authRequest{}, err
	}
	now := s.now()
	r := authRequest{ID: randomToken(), Data: d}
	_, err = s.exec(ctx, "storing an authorization request",
		"INSERT INTO ob_auth_requests (id, client_id, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		r.ID, d.ClientID, string(b), micros(now), micros(now.Add(ttl)))
	return r, err
}

const authRequestColumns = "id, data, COALESCE(user_id, ''), auth_time, state"

func scanAuthRequest(row *sql.Row) (authRequest, error) {
	var r authRequest
	var data string
	var authTime int64
	if err := row.Scan(&r.ID, &data, &r.UserID, &authTime, &r.State); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, fmt.Errorf("%w: authorization request", ErrNotFound)
		}
		return r, unavailable("reading an authorization request", err)
	}
	if authTime != 0 {
		r.AuthTime = fromMicros(authTime)
	}
	if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
		return r, unavailable("reading an authorization request", err)
	}
	return r, nil
}

// authRequestByID returns a pending or approved request that has not
// expired.
func (s *Store) authRequestByID(ctx context.Context, id string) (authRequest, error) {
	return scanAuthRequest(s.db.QueryRowContext(ctx,
		s.q("SELECT "+authRequestColumns+" FROM ob_auth_requests WHERE id = ? AND state <= ? AND expires_at > ?"),
		id, requestApproved, micros(s.now())))
}

// approveAuthRequest records the learner's consent, once.
func (s *Store) approveAuthRequest(ctx context.Context, id, userID string) error {
	now := micros(s.now())
	n, err := s.exec(ctx, "approving an authorization request",
		"UPDATE ob_auth_requests SET state = ?, user_id = ?, auth_time = ? WHERE id = ? AND state = ? AND expires_at > ?",
		requestApproved, userID, now, id, requestPending, now)
	if err == nil && n == 0 {
		err = fmt.Errorf("%w: the authorization request is unknown, expired or already answered", ErrNotFound)
	}
	return err
}

// saveAuthCode attaches the code to an approved request, once; the code
// is good for ttl.
func (s *Store) saveAuthCode(ctx context.Context, id, code string, ttl time.Duration) error {
	now := s.now()
	n, err := s.exec(ctx, "saving a code",
		"UPDATE ob_auth_requests SET code_hash = ?, code_expires_at = ? WHERE id = ? AND state = ? AND code_hash IS NULL AND expires_at > ?",
		hashSecret(code), micros(now.Add(ttl)), id, requestApproved, micros(now))
	if err == nil && n == 0 {
		err = fmt.Errorf("%w: a code was already issued for this authorization request", ErrConflict)
	}
	return err
}

// redeemCode marks the code used and returns its request. A code is
// redeemed once: presented again, it revokes every token issued from it
// (RFC 6749 section 4.1.2) and gives ErrConflict.
func (s *Store) redeemCode(ctx context.Context, code string) (authRequest, error) {
	h := hashSecret(code)
	now := micros(s.now())
	n, err := s.exec(ctx, "redeeming a code",
		"UPDATE ob_auth_requests SET state = ? WHERE code_hash = ? AND state = ? AND code_expires_at > ?",
		requestRedeemed, h, requestApproved, now)
	if err != nil {
		return authRequest{}, err
	}
	r, err := scanAuthRequest(s.db.QueryRowContext(ctx, s.q("SELECT "+authRequestColumns+" FROM ob_auth_requests WHERE code_hash = ?"), h))
	if err != nil {
		return authRequest{}, fmt.Errorf("%w: unknown code", ErrNotFound)
	}
	if n == 0 {
		if r.State >= requestRedeemed {
			if err := s.revokeFamily(ctx, r.ID); err != nil {
				return authRequest{}, err
			}
			return authRequest{}, fmt.Errorf("%w: the code was already used; the tokens issued from it are revoked", ErrConflict)
		}
		return authRequest{}, fmt.Errorf("%w: the code has expired", ErrNotFound)
	}
	return r, nil
}

// finishAuthRequest records that tokens were issued for the request.
func (s *Store) finishAuthRequest(ctx context.Context, id string) error {
	_, err := s.exec(ctx, "finishing an authorization request", "UPDATE ob_auth_requests SET state = ? WHERE id = ?", requestFinished, id)
	return err
}

// grant is what a token stands for.
type grant struct {
	Family   string // the authorization request the chain of tokens began with
	ClientID string
	UserID   string
	Scopes   []string
	AuthTime time.Time
	Expires  time.Time
}

const (
	kindAccess  = "access"
	kindRefresh = "refresh"
)

// createToken stores a new token of kind for g and returns its secret.
func (s *Store) createToken(ctx context.Context, kind string, g grant, ttl time.Duration) (string, time.Time, error) {
	secret := randomToken()
	now := s.now()
	exp := now.Add(ttl)
	_, err := s.exec(ctx, "storing a token",
		"INSERT INTO ob_tokens (hash, kind, family, client_id, user_id, scopes, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		hashSecret(secret), kind, g.Family, g.ClientID, g.UserID, strings.Join(g.Scopes, " "), micros(g.AuthTime), micros(now), micros(exp))
	return secret, exp, err
}

// tokenGrant returns the grant of a token of kind, with its state.
func (s *Store) tokenGrant(ctx context.Context, kind, secret string) (g grant, used, revoked bool, err error) {
	var scopes string
	var authTime, exp int64
	var u, r int
	err = s.db.QueryRowContext(ctx, s.q("SELECT family, client_id, user_id, scopes, auth_time, expires_at, used, revoked FROM ob_tokens WHERE hash = ? AND kind = ?"),
		hashSecret(secret), kind).Scan(&g.Family, &g.ClientID, &g.UserID, &scopes, &authTime, &exp, &u, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, false, fmt.Errorf("%w: unknown %s token", ErrNotFound, kind)
	}
	if err != nil {
		return g, false, false, unavailable("reading a token", err)
	}
	g.Scopes = strings.Fields(scopes)
	g.AuthTime, g.Expires = fromMicros(authTime), fromMicros(exp)
	return g, u != 0, r != 0, nil
}

// accessGrant returns the grant of a live access token.
func (s *Store) accessGrant(ctx context.Context, tokenID string) (grant, error) {
	g, _, revoked, err := s.tokenGrant(ctx, kindAccess, tokenID)
	switch {
	case err != nil:
		return grant{}, err
	case revoked:
		return grant{}, fmt.Errorf("%w: the access token was revoked", ErrNotFound)
	case !s.now().Before(g.Expires):
		return grant{}, fmt.Errorf("%w: the access token has expired", ErrNotFound)
	}
	return g, nil
}

// refreshGrant returns the grant of a live, unused refresh token. A
// refresh token presented after it was rotated is a stolen copy or a
// replay: the whole family is revoked (OAuth 2.0 Security BCP, refresh
// token rotation).
func (s *Store) refreshGrant(ctx context.Context, token string) (grant, error) {
	g, used, revoked, err := s.tokenGrant(ctx, kindRefresh, token)
	switch {
	case err != nil:
		return grant{}, err
	case used:
		if err := s.revokeFamily(ctx, g.Family); err != nil {
			return grant{}, err
		}
		return grant{}, fmt.Errorf("%w: the refresh token was already used; every token of its grant is revoked", ErrConflict)
	case revoked:
		return grant{}, fmt.Errorf("%w: the refresh token was revoked", ErrNotFound)
	case !s.now().Before(g.Expires):
		return grant{}, fmt.Errorf("%w: the refresh token has expired", ErrNotFound)
	}
	return g, nil
}

// useRefresh marks a refresh token used, once (rotation): a second use,
// even concurrent, revokes the family.
func (s *Store) useRefresh(ctx context.Context, token string) error {
	n, err := s.exec(ctx, "rotating a refresh token", "UPDATE ob_tokens SET used = 1 WHERE hash = ? AND kind = ? AND used = 0 AND revoked = 0",
		hashSecret(token), kindRefresh)
	if err != nil {
		return err
	}
	if n == 0 {
		_, err := s.refreshGrant(ctx, token)
		if err == nil {
			err = fmt.Errorf("%w: the refresh token was already used", ErrConflict)
		}
		return err
	}
	return nil
}

// revokeFamily revokes every token descending from one authorization.
func (s *Store) revokeFamily(ctx context.Context, family string) error {
	_, err := s.exec(ctx, "revoking tokens", "UPDATE ob_tokens SET revoked = 1 WHERE family = ?", family)
	return err
}

// revokeToken revokes the token (either kind) if clientID holds it: an
// access token alone, a refresh token with its whole family (RFC 7009
// section 2.1). An unknown token is not an error (RFC 7009 section 2.2).
func (s *Store) revokeToken(ctx context.Context, secret, clientID string) error {
	for _, kind := range []string{kindRefresh, kindAccess} {
		g, _, _, err := s.tokenGrant(ctx, kind, secret)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if g.ClientID != clientID {
			return nil
		}
		if kind == kindRefresh {
			return s.revokeFamily(ctx, g.Family)
		}
		_, err = s.exec(ctx, "revoking a token", "UPDATE ob_tokens SET revoked = 1 WHERE hash = ?", hashSecret(secret))
		return err
	}
	return nil
}

// createSession starts a signed-in session for userID and returns its id.
func (s *Store) createSession(ctx context.Context, userID string, ttl time.Duration) (string, error) {
	id := randomToken()
	now := s.now()
	_, err := s.exec(ctx, "starting a session", "INSERT INTO ob_sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		hashSecret(id), userID, micros(now), micros(now.Add(ttl)))
	return id, err
}

// sessionUser returns the account of a live session.
func (s *Store) sessionUser(ctx context.Context, id string) (string, error) {
	var user string
	err := s.db.QueryRowContext(ctx, s.q("SELECT user_id FROM ob_sessions WHERE hash = ? AND expires_at > ?"), hashSecret(id), micros(s.now())).Scan(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: session", ErrNotFound)
	}
	if err != nil {
		return "", unavailable("reading a session", err)
	}
	return user, nil
}

// Purge deletes what expired before the given time: sessions,
// authorization requests and tokens.
func (s *Store) Purge(ctx context.Context, before time.Time) error {
	t := micros(before)
	for _, table := range []string{"ob_sessions", "ob_auth_requests", "ob_tokens"} {
		if _, err := s.exec(ctx, "purging "+table, "DELETE FROM "+table+" WHERE expires_at < ?", t); err != nil {
			return err
		}
	}
	return nil
}
