package obapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// eachDB runs fn against a new SQLite file and a new schema of the test
// PostgreSQL server (skipped where there is none, failed under CI).
func eachDB(t *testing.T, fn func(t *testing.T, db *sql.DB, d sqlstore.Dialect)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, storetest.OpenSQLite(t, storetest.SQLitePath(t)), sqlstore.SQLite)
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, storetest.OpenPostgres(t, storetest.PostgresSchema(t)), sqlstore.Postgres)
	})
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testVerifier verifies the test badges: eddsa-rdfc-2022 and EdDSA
// VC-JWTs from did:key issuers, lenient, status not checked.
func testVerifier(t testing.TB) *verifier.Verifier {
	v, err := verifier.New(verifier.Config{
		Suites:     []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA},
		Lenient:    true,
		SkipStatus: true,
	})
	require.NoError(t, err)
	return v
}

// testEnv is a server on loopback with its clock.
type testEnv struct {
	srv    *Server
	hs     *httptest.Server
	clock  *clock
	base   string
	client *http.Client
}

func newEnv(t *testing.T, db *sql.DB, d sqlstore.Dialect, tweak ...func(*Config)) *testEnv {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	e := &testEnv{hs: hs, clock: newClock(), base: "http://" + hs.Listener.Addr().String(), client: http.DefaultClient}
	cfg := Config{DB: db, Dialect: d, BaseURL: e.base, Verifier: testVerifier(t), Now: e.clock.Now}
	for _, f := range tweak {
		f(&cfg)
	}
	srv, err := New(context.Background(), cfg)
	require.NoError(t, err)
	e.srv = srv
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return e
}

func sqliteEnv(t *testing.T, tweak ...func(*Config)) *testEnv {
	return newEnv(t, storetest.OpenSQLite(t, storetest.SQLitePath(t)), sqlstore.SQLite, tweak...)
}

// addLearner adds a local account (low bcrypt cost: tests only).
func (e *testEnv) addLearner(t *testing.T, name string) {
	t.Helper()
	_, err := e.srv.Store().AddAccount(context.Background(), name, "password-of-"+name, 4)
	require.NoError(t, err)
}

const testRedirect = "http://127.0.0.1:1/callback"

var allScopes = ScopeCredentialReadonly + " " + ScopeCredentialUpsert + " " + ScopeProfileReadonly + " " + ScopeProfileUpdate

// register registers a client for scope and returns its OAuth config.
func (e *testEnv) register(t *testing.T, scope string) *oauth2.Config {
	t.Helper()
	md := map[string]any{
		"client_name": "Test Wallet", "client_uri": "https://wallet.example", "software_id": "test-wallet",
		"software_version": "1.0", "redirect_uris": []string{testRedirect}, "scope": scope,
	}
	code, body := e.postJSON(t, RegistrationPath, md)
	require.Equal(t, http.StatusCreated, code, body)
	var resp registrationResponse
	require.NoError(t, json.Unmarshal([]byte(body), &resp))
	return &oauth2.Config{
		ClientID: resp.ClientID, ClientSecret: resp.ClientSecret, RedirectURL: testRedirect,
		Scopes: strings.Fields(scope),
		Endpoint: oauth2.Endpoint{AuthURL: e.base + AuthorizePath, TokenURL: e.base + TokenPath,
			AuthStyle: oauth2.AuthStyleInHeader},
	}
}

func (e *testEnv) postJSON(t *testing.T, path string, v any) (int, string) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	resp, err := e.client.Post(e.base+path, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// browser is a learner's browser: it keeps cookies and does not follow
// redirects, so that each step can be checked.
type browser struct {
	c *http.Client
}

func newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(t *testing.T, u string) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	return b.do(t, req)
}

func (b *browser) post(t *testing.T, u string, form url.Values) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	idField   = regexp.MustCompile(`name="id" value="([0-9a-f]+)"`)
)

func formValue(t *testing.T, re *regexp.Regexp, page string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	require.NotNil(t, m, "no %s in the page:\n%s", re, page)
	return m[1]
}

// pkce returns a verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = oauth2.GenerateVerifier()
	h := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(h[:])
}

// consentPage signs the learner in from the authorization URL and returns
// the consent page with the request id and the CSRF token.
func (e *testEnv) consentPage(t *testing.T, b *browser, authURL, learner string) (page, id, csrf string) {
	t.Helper()
	resp, _ := b.get(t, authURL)
	require.Equal(t, http.StatusFound, resp.StatusCode, "the authorization endpoint sends the browser to sign in")
	loginURL := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(loginURL, e.base+LoginPath), loginURL)
	resp, page = b.get(t, loginURL)
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	if strings.Contains(page, `name="password"`) {
		resp, page = b.post(t, e.base+LoginPath, url.Values{
			"id": {formValue(t, idField, page)}, "csrf": {formValue(t, csrfField, page)},
			"username": {learner}, "password": {"password-of-" + learner},
		})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode, page)
		resp, page = b.get(t, resp.Header.Get("Location"))
		require.Equal(t, http.StatusOK, resp.StatusCode, page)
	}
	require.Contains(t, page, "Allow access?")
	return page, formValue(t, idField, page), formValue(t, csrfField, page)
}

// authorize runs the browser side of the flow for learner and returns the
// query of the redirect to the client (code and state).
func (e *testEnv) authorize(t *testing.T, cfg *oauth2.Config, learner, state, challenge string) url.Values {
	t.Helper()
	b := newBrowser()
	authURL := cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", challenge), oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	_, id, csrf := e.consentPage(t, b, authURL, learner)
	resp, page := b.post(t, e.base+ConsentPath, url.Values{"id": {id}, "csrf": {csrf}, "decision": {"approve"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, page)
	resp, page = b.get(t, resp.Header.Get("Location"))
	require.Equal(t, http.StatusFound, resp.StatusCode, page)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, testRedirect, loc.Scheme+"://"+loc.Host+loc.Path, "the code goes to the registered redirect URI")
	return loc.Query()
}

// connect runs the whole flow and returns the tokens.
func (e *testEnv) connect(t *testing.T, cfg *oauth2.Config, learner string) *oauth2.Token {
	t.Helper()
	v, ch := pkce()
	q := e.authorize(t, cfg, learner, "state-1", ch)
	require.Equal(t, "state-1", q.Get("state"))
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(v))
	require.NoError(t, err)
	return tok
}

// api makes a request with a bearer token (none when token is "").
func (e *testEnv) api(t *testing.T, method, path, token, contentType string, body []byte) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.base+path, bytes.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// badges issues test badges, signed by a did:key issuer.
type badges struct {
	tmpl []byte
	di   *issuer.Issuer
	jwt  *issuer.Issuer
	iss  string
}

func newBadges(t testing.TB) *badges {
	tmpl, err := os.ReadFile(filepath.Join("..", "testdata", "badge-template.json"))
	require.NoError(t, err)
	priv, d, vm := testkeys.Private(9)
	now := func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }
	di, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: now})
	require.NoError(t, err)
	jwt, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: now, Format: issuer.FormatJWT})
	require.NoError(t, err)
	return &badges{tmpl: tmpl, di: di, jwt: jwt, iss: d}
}

// issue signs badge n (JSON, or a compact JWS) with validFrom in 2026-01-0n.
func (b *badges) issue(t testing.TB, n int, jws bool) []byte {
	doc := bytes.ReplaceAll(b.tmpl, []byte("ISSUER"), []byte(b.iss))
	doc = bytes.ReplaceAll(doc, []byte("SUBJECT"), []byte("did:example:learner"))
	doc = bytes.ReplaceAll(doc, []byte("BADGE_ID"), []byte(fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", n)))
	doc = bytes.ReplaceAll(doc, []byte("2026-01-01T00:00:00Z"), []byte(fmt.Sprintf("2026-01-%02dT00:00:00Z", n)))
	is := b.di
	if jws {
		is = b.jwt
	}
	out, err := is.IssueJSON(context.Background(), doc)
	require.NoError(t, err)
	return out
}

// newTLSEnv fills e with a server over https on loopback.
func newTLSEnv(t *testing.T, e *testEnv) *httptest.Server {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	e.hs, e.clock, e.base = hs, newClock(), "https://"+hs.Listener.Addr().String()
	srv, err := New(context.Background(), Config{DB: storetest.OpenSQLite(t, storetest.SQLitePath(t)), Dialect: sqlstore.SQLite,
		BaseURL: e.base, Verifier: testVerifier(t), Now: e.clock.Now})
	require.NoError(t, err)
	e.srv = srv
	hs.Config.Handler = srv.Handler()
	hs.StartTLS()
	t.Cleanup(hs.Close)
	e.client = hs.Client()
	return hs
}
