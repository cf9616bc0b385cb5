package obapi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The scopes of the Open Badges API.
const (
	ScopeCredentialReadonly = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
	ScopeCredentialUpsert   = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert"
	ScopeProfileReadonly    = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
	ScopeProfileUpdate      = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update"
)

// Scopes lists the scopes of the API with what each lets a client do, as
// the consent page shows them.
var Scopes = map[string]string{
	ScopeCredentialReadonly: "read your badges",
	ScopeCredentialUpsert:   "add badges to your account and replace them",
	ScopeProfileReadonly:    "read your profile",
	ScopeProfileUpdate:      "change your profile",
}

// oauthStorage is the authorization server's storage (op.Storage) on the
// Store. The library runs the protocol; what it leaves to storage, this
// does: single-use codes, PKCE S256 required, refresh token rotation with
// reuse detection, hashed secrets.
type oauthStorage struct {
	srv     *Server
	s       *Store
	signing *signingKey
}

var _ op.Storage = (*oauthStorage)(nil)

// signingKey signs the ID tokens the library issues alongside access
// tokens (clients of this API have no use for them). It lives in memory:
// nothing here verifies them later.
type signingKey struct {
	id  string
	key *ecdsa.PrivateKey
}

func newSigningKey() (*signingKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &signingKey{id: newUUID(), key: k}, nil
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

// oauthClient is a registered client as the library sees it: a web
// (confidential) client whose redirect URIs match exactly.
type oauthClient struct {
	c        Client
	loginURL func(string) string
}

func (c *oauthClient) GetID() string                       { return c.c.ID }
func (c *oauthClient) RedirectURIs() []string              { return c.c.Metadata.RedirectURIs }
func (c *oauthClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *oauthClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *oauthClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *oauthClient) LoginURL(id string) string            { return c.loginURL(id) }
func (c *oauthClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *oauthClient) IDTokenLifetime() time.Duration       { return 5 * time.Minute }
func (c *oauthClient) DevMode() bool                        { return false }
func (c *oauthClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *oauthClient) ClockSkew() time.Duration             { return 0 }
func (c *oauthClient) IsScopeAllowed(scope string) bool     { return c.allows(scope) }
func (c *oauthClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *oauthClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c *oauthClient) AuthMethod() oidc.AuthMethod {
	return oidc.AuthMethod(c.c.Metadata.TokenEndpointAuthMethod)
}

func (c *oauthClient) GrantTypes() []oidc.GrantType {
	var gs []oidc.GrantType
	for _, g := range c.c.Metadata.GrantTypes {
		gs = append(gs, oidc.GrantType(g))
	}
	return gs
}

// allows reports whether the client registered scope.
func (c *oauthClient) allows(scope string) bool {
	return slices.Contains(splitScope(c.c.Metadata.Scope), scope)
}

func (c *oauthClient) refreshes() bool {
	return slices.Contains(c.c.Metadata.GrantTypes, string(oidc.GrantTypeRefreshToken))
}

// oauthRequest is a stored authorization request as the library sees it.
type oauthRequest struct{ r authRequest }

func (a *oauthRequest) GetID() string          { return a.r.ID }
func (a *oauthRequest) GetACR() string         { return "" }
func (a *oauthRequest) GetAMR() []string       { return []string{"pwd"} }
func (a *oauthRequest) GetAudience() []string  { return []string{a.r.Data.ClientID} }
func (a *oauthRequest) GetAuthTime() time.Time { return a.r.AuthTime }
func (a *oauthRequest) GetClientID() string    { return a.r.Data.ClientID }
func (a *oauthRequest) GetNonce() string       { return a.r.Data.Nonce }
func (a *oauthRequest) GetRedirectURI() string { return a.r.Data.RedirectURI }
func (a *oauthRequest) GetScopes() []string    { return a.r.Data.Scopes }
func (a *oauthRequest) GetState() string       { return a.r.Data.State }
func (a *oauthRequest) GetSubject() string     { return a.r.UserID }
func (a *oauthRequest) Done() bool             { return a.r.State >= requestApproved && a.r.UserID != "" }
func (a *oauthRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseType(a.r.Data.ResponseType)
}
func (a *oauthRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.r.Data.ResponseMode)
}
func (a *oauthRequest) GetCodeChallenge() *oidc.CodeChallenge {
	return &oidc.CodeChallenge{Challenge: a.r.Data.CodeChallenge, Method: oidc.CodeChallengeMethodS256}
}

// refreshRequest is a refresh token's grant as the library sees it.
type refreshRequest struct {
	g      grant
	token  string
	scopes []string
}

func (r *refreshRequest) GetAMR() []string            { return []string{"pwd"} }
func (r *refreshRequest) GetAudience() []string       { return []string{r.g.ClientID} }
func (r *refreshRequest) GetAuthTime() time.Time      { return r.g.AuthTime }
func (r *refreshRequest) GetClientID() string         { return r.g.ClientID }
func (r *refreshRequest) GetScopes() []string         { return r.scopes }
func (r *refreshRequest) GetSubject() string          { return r.g.UserID }
func (r *refreshRequest) SetCurrentScopes(s []string) { r.scopes = s }

// obScopes keeps the Open Badges scopes of a request, in order, once each.
func obScopes(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if _, ok := Scopes[s]; ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// CreateAuthRequest stores an authorization request. PKCE with S256 is
// required (RFC 7636; the plain method and no challenge are refused), and
// only the Open Badges scopes the client registered are kept. A client
// registered for refresh tokens gets one: the library issues them only
// with the offline_access scope, which is added here.
func (o *oauthStorage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required, with code_challenge_method S256")
	}
	c, err := o.s.ClientByID(ctx, req.ClientID)
	if err != nil {
		return nil, oidc.ErrInvalidClient().WithParent(err)
	}
	client := o.srv.oauthClient(c)
	var scopes []string
	for _, s := range obScopes(req.Scopes) {
		if client.allows(s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		return nil, oidc.ErrInvalidScope().WithDescription("request at least one Open Badges scope the client registered")
	}
	if client.refreshes() {
		scopes = append(scopes, oidc.ScopeOfflineAccess)
	}
	r, err := o.s.createAuthRequest(ctx, authRequestData{
		ClientID: req.ClientID, RedirectURI: req.RedirectURI, Scopes: scopes, State: req.State, Nonce: req.Nonce,
		CodeChallenge: req.CodeChallenge, ResponseType: string(req.ResponseType), ResponseMode: string(req.ResponseMode),
	}, o.srv.cfg.AuthRequestLifetime)
	if err != nil {
		return nil, err
	}
	return &oauthRequest{r}, nil
}

// AuthRequestByID implements op.Storage.
func (o *oauthStorage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	r, err := o.s.authRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return &oauthRequest{r}, nil
}

// AuthRequestByCode redeems the code: it is good once, and a second
// presentation revokes what the first one got.
func (o *oauthStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := o.s.redeemCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return &oauthRequest{r}, nil
}

// SaveAuthCode implements op.Storage.
func (o *oauthStorage) SaveAuthCode(ctx context.Context, id, code string) error {
	return o.s.saveAuthCode(ctx, id, code, o.srv.cfg.CodeLifetime)
}

// DeleteAuthRequest marks the request finished; its row is kept until it
// expires so that a replayed code is recognised.
func (o *oauthStorage) DeleteAuthRequest(ctx context.Context, id string) error {
	return o.s.finishAuthRequest(ctx, id)
}

// grantOf returns the grant a token request stands for.
func grantOf(req op.TokenRequest) (grant, error) {
	switch r := req.(type) {
	case *oauthRequest:
		return grant{Family: r.r.ID, ClientID: r.r.Data.ClientID, UserID: r.r.UserID, Scopes: r.r.Data.Scopes, AuthTime: r.r.AuthTime}, nil
	case *refreshRequest:
		g := r.g
		g.Scopes = r.scopes
		return g, nil
	}
	return grant{}, oidc.ErrUnsupportedGrantType()
}

// CreateAccessToken implements op.Storage.
func (o *oauthStorage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	g, err := grantOf(req)
	if err != nil {
		return "", time.Time{}, err
	}
	return o.s.createToken(ctx, kindAccess, g, o.srv.cfg.AccessTokenLifetime)
}

// CreateAccessAndRefreshTokens issues an access token and a refresh token;
// for a refresh, the token presented is used up first (rotation).
func (o *oauthStorage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	g, err := grantOf(req)
	if err != nil {
		return "", "", time.Time{}, err
	}
	if current != "" {
		if err := o.s.useRefresh(ctx, current); err != nil {
			return "", "", time.Time{}, oidc.ErrInvalidGrant().WithParent(err)
		}
	}
	access, exp, err := o.s.createToken(ctx, kindAccess, g, o.srv.cfg.AccessTokenLifetime)
	if err != nil {
		return "", "", time.Time{}, err
	}
	refresh, _, err := o.s.createToken(ctx, kindRefresh, g, o.srv.cfg.RefreshTokenLifetime)
	if err != nil {
		return "", "", time.Time{}, err
	}
	return access, refresh, exp, nil
}

// TokenRequestByRefreshToken implements op.Storage.
func (o *oauthStorage) TokenRequestByRefreshToken(ctx context.Context, token string) (op.RefreshTokenRequest, error) {
	g, err := o.s.refreshGrant(ctx, token)
	if err != nil {
		return nil, err
	}
	return &refreshRequest{g: g, token: token, scopes: g.Scopes}, nil
}

// TerminateSession implements op.Storage (there is no end-session flow).
func (o *oauthStorage) TerminateSession(context.Context, string, string) error { return nil }

// GetRefreshTokenInfo implements op.Storage for revocation.
func (o *oauthStorage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	g, _, _, err := o.s.tokenGrant(ctx, kindRefresh, token)
	if errors.Is(err, ErrNotFound) || (err == nil && g.ClientID != clientID) {
		return "", "", op.ErrInvalidRefreshToken
	}
	if err != nil {
		return "", "", err
	}
	return g.UserID, token, nil
}

// RevokeToken implements op.Storage (RFC 7009).
func (o *oauthStorage) RevokeToken(ctx context.Context, token, _, clientID string) *oidc.Error {
	if err := o.s.revokeToken(ctx, token, clientID); err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	return nil
}

// SigningKey implements op.Storage.
func (o *oauthStorage) SigningKey(context.Context) (op.SigningKey, error) { return o.signing, nil }

// SignatureAlgorithms implements op.Storage.
func (o *oauthStorage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

// KeySet implements op.Storage.
func (o *oauthStorage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{o.signing}}, nil
}

// GetClientByClientID implements op.Storage.
func (o *oauthStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := o.s.ClientByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return o.srv.oauthClient(c), nil
}

// AuthorizeClientIDSecret implements op.Storage.
func (o *oauthStorage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	return o.s.CheckClientSecret(ctx, id, secret)
}

// SetUserinfoFromScopes implements op.Storage: only the subject.
func (o *oauthStorage) SetUserinfoFromScopes(_ context.Context, ui *oidc.UserInfo, userID, _ string, _ []string) error {
	ui.Subject = userID
	return nil
}

// SetUserinfoFromToken implements op.Storage: only the subject.
func (o *oauthStorage) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, _ string) error {
	g, err := o.s.accessGrant(ctx, tokenID)
	if err != nil || g.UserID != subject {
		return oidc.ErrAccessDenied()
	}
	ui.Subject = subject
	return nil
}

// SetIntrospectionFromToken implements op.Storage.
func (o *oauthStorage) SetIntrospectionFromToken(ctx context.Context, ir *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	g, err := o.s.accessGrant(ctx, tokenID)
	if err != nil || g.UserID != subject || g.ClientID != clientID {
		return oidc.ErrAccessDenied()
	}
	ir.Active = true
	ir.Subject = subject
	ir.ClientID = g.ClientID
	ir.Scope = g.Scopes
	return nil
}

// GetPrivateClaimsFromScopes implements op.Storage: none.
func (o *oauthStorage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID implements op.Storage: JWT client assertions are
// not supported.
func (o *oauthStorage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrInvalidClient().WithDescription("private_key_jwt is not supported")
}

// ValidateJWTProfileScopes implements op.Storage: the JWT profile grant
// is not supported.
func (o *oauthStorage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

// Health implements op.Storage.
func (o *oauthStorage) Health(ctx context.Context) error { return o.s.db.PingContext(ctx) }
