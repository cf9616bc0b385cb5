package obapi

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/verifier"
)

// The paths the server answers, under Config.BaseURL.
const (
	APIPath          = "/ims/ob/v3p0"
	OAuthPath        = "/oauth"
	RegistrationPath = OAuthPath + "/register"
	AuthorizePath    = OAuthPath + "/authorize"
	TokenPath        = OAuthPath + "/token"
	RevocationPath   = OAuthPath + "/revoke"
	LoginPath        = OAuthPath + "/login"
	ConsentPath      = OAuthPath + "/consent"
)

// Defaults of Config.
const (
	DefaultAccessTokenLifetime  = time.Hour
	DefaultRefreshTokenLifetime = 30 * 24 * time.Hour
	DefaultCodeLifetime         = time.Minute
	DefaultAuthRequestLifetime  = 10 * time.Minute
	DefaultSessionLifetime      = 12 * time.Hour
	DefaultMaxCredentialBytes   = 1 << 20
	DefaultMaxProfileBytes      = 64 << 10
	DefaultPageSize             = 50
	MaxPageSize                 = 500
)

// Config configures New. DB, Dialect, BaseURL and Verifier are required;
// every other zero value is a safe default.
type Config struct {
	// DB and Dialect are the database (status/sqlstore's may be shared).
	DB      *sql.DB
	Dialect sqlstore.Dialect
	// BaseURL is the server's origin as clients reach it, such as
	// https://badges.example.edu: the URLs of the service description and
	// the OAuth issuer are built from it. It must be https, except on a
	// loopback host (http://127.0.0.1:8080), for development and tests.
	BaseURL string
	// Verifier verifies every credential posted before it is stored: only
	// a credential it reports as verified is kept. A host serving
	// learners typically builds it with verifier.Config.Lenient.
	Verifier *verifier.Verifier
	// Authenticator checks the learners' passwords; nil means the local
	// accounts of the Store (badge serve users add).
	Authenticator Authenticator
	// Lifetimes of access tokens, refresh tokens, authorization codes,
	// pending authorization requests and sign-in sessions.
	AccessTokenLifetime  time.Duration
	RefreshTokenLifetime time.Duration
	CodeLifetime         time.Duration
	AuthRequestLifetime  time.Duration
	SessionLifetime      time.Duration
	// MaxCredentialBytes and MaxProfileBytes bound request bodies.
	MaxCredentialBytes int64
	MaxProfileBytes    int64
	// Title, TermsOfServiceURL, PrivacyPolicyURL and ImageURL describe the
	// service in its service description document.
	Title             string
	TermsOfServiceURL string
	PrivacyPolicyURL  string
	ImageURL          string
	// Logger receives server-side failures; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the Open Badges API: the resource server under /ims/ob/v3p0/
// and its OAuth 2.0 authorization server under /oauth/.
type Server struct {
	cfg      Config
	store    *Store
	auth     Authenticator
	base     *url.URL
	issuer   string
	provider *op.Provider
	oauth    *oauthStorage
	secure   bool // cookies get Secure and the __Host- prefix
	mux      *http.ServeMux
}

// New checks cfg, brings the database schema up to date and returns the
// server.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Verifier == nil {
		return nil, fmt.Errorf("%w: Config.Verifier is required", ErrConfig)
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" || base.RawQuery != "" || base.Fragment != "" || base.User != nil {
		return nil, fmt.Errorf("%w: Config.BaseURL %q is not an origin (https://host[:port])", ErrConfig, cfg.BaseURL)
	}
	switch {
	case base.Scheme == "https":
	case base.Scheme == "http" && isLoopback(base.Hostname()):
	default:
		return nil, fmt.Errorf("%w: Config.BaseURL must be https (http only on a loopback host)", ErrConfig)
	}
	defaults := []struct {
		v *time.Duration
		d time.Duration
	}{
		{&cfg.AccessTokenLifetime, DefaultAccessTokenLifetime},
		{&cfg.RefreshTokenLifetime, DefaultRefreshTokenLifetime},
		{&cfg.CodeLifetime, DefaultCodeLifetime},
		{&cfg.AuthRequestLifetime, DefaultAuthRequestLifetime},
		{&cfg.SessionLifetime, DefaultSessionLifetime},
	}
	for _, d := range defaults {
		if *d.v <= 0 {
			*d.v = d.d
		}
	}
	if cfg.MaxCredentialBytes <= 0 {
		cfg.MaxCredentialBytes = DefaultMaxCredentialBytes
	}
	if cfg.MaxProfileBytes <= 0 {
		cfg.MaxProfileBytes = DefaultMaxProfileBytes
	}
	if cfg.Title == "" {
		cfg.Title = "Open Badges host"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	store, err := OpenStore(ctx, StoreConfig{DB: cfg.DB, Dialect: cfg.Dialect, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: store, auth: cfg.Authenticator, base: base, secure: base.Scheme == "https"}
	if s.auth == nil {
		s.auth = store
	}
	s.issuer = base.String() + OAuthPath
	key, err := store.secret(ctx, "token-encryption")
	if err != nil {
		return nil, err
	}
	signing, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s.oauth = &oauthStorage{srv: s, s: store, signing: signing}
	opts := []op.Option{
		op.WithCustomEndpoints(op.NewEndpoint("/authorize"), op.NewEndpoint("/token"), op.NewEndpoint("/userinfo"),
			op.NewEndpoint("/revoke"), op.NewEndpoint("/end_session"), op.NewEndpoint("/keys")),
		op.WithCustomIntrospectionEndpoint(op.NewEndpoint("/introspect")),
		op.WithLogger(cfg.Logger),
	}
	if base.Scheme == "http" {
		opts = append(opts, op.WithAllowInsecure())
	}
	s.provider, err = op.NewProvider(&op.Config{
		CryptoKey:             key,
		CodeMethodS256:        true,
		AuthMethodPost:        true,
		GrantTypeRefreshToken: true,
		SupportedScopes:       []string{ScopeCredentialReadonly, ScopeCredentialUpsert, ScopeProfileReadonly, ScopeProfileUpdate},
	}, s.oauth, op.StaticIssuer(s.issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := store.Purge(ctx, cfg.Now()); err != nil {
		cfg.Logger.Warn("obapi: purging expired rows", "err", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+APIPath+"/discovery", s.discovery)
	mux.HandleFunc("GET "+APIPath+"/credentials", s.getCredentials)
	mux.HandleFunc("POST "+APIPath+"/credentials", s.upsertCredential)
	mux.HandleFunc("GET "+APIPath+"/profile", s.getProfile)
	mux.HandleFunc("PUT "+APIPath+"/profile", s.putProfile)
	mux.HandleFunc(APIPath+"/", s.notAllowed)
	mux.HandleFunc("POST "+RegistrationPath, s.register)
	mux.HandleFunc("GET "+LoginPath, s.loginPage)
	mux.HandleFunc("POST "+LoginPath, s.login)
	mux.HandleFunc("POST "+ConsentPath, s.consent)
	mux.Handle(OAuthPath+"/", http.StripPrefix(OAuthPath, s.provider))
	s.mux = mux
	return s, nil
}

// Handler returns the HTTP handler of the API and the authorization
// server; mount it at the root of BaseURL (it answers only under
// /ims/ob/v3p0/ and /oauth/).
func (s *Server) Handler() http.Handler { return s.mux }

// Store returns the server's store, for adding accounts.
func (s *Server) Store() *Store { return s.store }

// oauthClient wraps a registered client for the library.
func (s *Server) oauthClient(c Client) *oauthClient {
	return &oauthClient{c: c, loginURL: func(id string) string {
		return s.base.String() + LoginPath + "?id=" + url.QueryEscape(id)
	}}
}

// isLoopback reports whether host is a loopback name or address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// splitScope splits a space-separated scope parameter.
func splitScope(s string) []string { return strings.Fields(s) }
