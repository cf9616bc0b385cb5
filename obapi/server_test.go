package obapi

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/status/sqlstore"
)

// TestFlow runs the whole API on each database: registration,
// authorization with consent, code exchange, three badges upserted,
// listed with paging, the profile read and updated, a refresh and a
// revocation; every response is checked against the OpenAPI schemas.
func TestFlow(t *testing.T) {
	oa := loadOpenAPI(t)
	b := newBadges(t)
	eachDB(t, func(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
		e := newEnv(t, db, d)
		e.addLearner(t, "ada")

		resp, body := e.api(t, http.MethodGet, APIPath+"/discovery", "", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		oa.validate(t, "ServiceDescriptionDocument", body)
		var sdd struct {
			Components struct {
				SecuritySchemes struct {
					OAuth2ACG struct {
						Registration string `json:"x-imssf-registrationUrl"`
						Flows        struct {
							AuthorizationCode struct {
								AuthorizationURL string `json:"authorizationUrl"`
								TokenURL         string `json:"tokenUrl"`
								RefreshURL       string `json:"refreshUrl"`
							} `json:"authorizationCode"`
						} `json:"flows"`
					} `json:"OAuth2ACG"`
				} `json:"securitySchemes"`
			} `json:"components"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &sdd))
		scheme := sdd.Components.SecuritySchemes.OAuth2ACG
		assert.Equal(t, e.base+RegistrationPath, scheme.Registration)
		assert.Equal(t, e.base+AuthorizePath, scheme.Flows.AuthorizationCode.AuthorizationURL)
		assert.Equal(t, e.base+TokenPath, scheme.Flows.AuthorizationCode.TokenURL)
		assert.Equal(t, e.base+TokenPath, scheme.Flows.AuthorizationCode.RefreshURL)

		cfg := e.register(t, allScopes)
		tok := e.connect(t, cfg, "ada")
		require.NotEmpty(t, tok.RefreshToken)

		// Three badges: two JSON, one VC-JWT.
		for i, jws := range []bool{false, true, false} {
			cred := b.issue(t, i+1, jws)
			ct := "application/json"
			if jws {
				ct = "text/plain"
			}
			resp, body := e.api(t, http.MethodPost, APIPath+"/credentials", tok.AccessToken, ct, cred)
			require.Equal(t, http.StatusCreated, resp.StatusCode, body)
			assert.Equal(t, string(cred), body, "the response is the credential as sent")
		}
		// The same badge again is an update.
		resp, body = e.api(t, http.MethodPost, APIPath+"/credentials", tok.AccessToken, "application/json", b.issue(t, 1, false))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)

		resp, body = e.api(t, http.MethodGet, APIPath+"/credentials?limit=2", tok.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		oa.validate(t, "GetOpenBadgeCredentialsResponse", body)
		assert.Equal(t, "3", resp.Header.Get("X-Total-Count"))
		links := resp.Header.Get("Link")
		assert.Contains(t, links, `offset=2>; rel="next"`)
		assert.Contains(t, links, `offset=0>; rel="first"`)
		assert.Contains(t, links, `offset=2>; rel="last"`)
		assert.NotContains(t, links, `rel="prev"`)
		var page credentialsResponse
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		assert.Len(t, page.Credential, 1)
		assert.Len(t, page.CompactJwsString, 1)

		resp, body = e.api(t, http.MethodGet, APIPath+"/credentials?limit=2&offset=2", tok.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		page = credentialsResponse{}
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		assert.Len(t, page.Credential, 1)
		assert.Contains(t, string(page.Credential[0]), "000000000003", "the third badge stored comes last")
		assert.Contains(t, resp.Header.Get("Link"), `offset=0>; rel="prev"`)
		assert.NotContains(t, resp.Header.Get("Link"), `rel="next"`)

		resp, body = e.api(t, http.MethodGet, APIPath+"/credentials?since=2026-01-02T00:00:00Z", tok.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Equal(t, "1", resp.Header.Get("X-Total-Count"), "since: issued after the instant")

		resp, body = e.api(t, http.MethodGet, APIPath+"/profile", tok.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		oa.validate(t, "Profile", body)
		assert.Contains(t, body, `"name":"ada"`)
		profile := `{"id":"https://ada.example/me","type":["Profile"],"name":"Ada L."}`
		resp, body = e.api(t, http.MethodPut, APIPath+"/profile", tok.AccessToken, "application/json", []byte(profile))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		oa.validate(t, "Profile", body)
		resp, body = e.api(t, http.MethodGet, APIPath+"/profile", tok.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.JSONEq(t, profile, body)

		// Refresh: a new pair, and the new access token works.
		refreshed, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		require.NoError(t, err)
		require.NotEqual(t, tok.RefreshToken, refreshed.RefreshToken, "refresh tokens rotate")
		resp, body = e.api(t, http.MethodGet, APIPath+"/credentials", refreshed.AccessToken, "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)

		// Revoke the refresh token: its grant's access tokens stop working.
		e.revoke(t, cfg, refreshed.RefreshToken)
		resp, body = e.api(t, http.MethodGet, APIPath+"/credentials", refreshed.AccessToken, "", nil)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, body)
		oa.validate(t, "Imsx_StatusInfo", body)
		_, err = cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: refreshed.RefreshToken}).Token()
		require.Error(t, err, "a revoked refresh token is refused")
	})
}

// revoke revokes token at the revocation endpoint (RFC 7009).
func (e *testEnv) revoke(t *testing.T, cfg *oauth2.Config, token string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.base+RevocationPath, strings.NewReader(url.Values{"token": {token}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(cfg.ClientID), url.QueryEscape(cfg.ClientSecret))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestCrossLearnerIsolation: a learner's token never reads or changes
// another learner's credentials or profile.
func TestCrossLearnerIsolation(t *testing.T) {
	b := newBadges(t)
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	e.addLearner(t, "bob")
	cfg := e.register(t, allScopes)
	ada := e.connect(t, cfg, "ada")
	bob := e.connect(t, cfg, "bob")

	resp, body := e.api(t, http.MethodPost, APIPath+"/credentials", ada.AccessToken, "application/json", b.issue(t, 1, false))
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	resp, body = e.api(t, http.MethodPut, APIPath+"/profile", ada.AccessToken, "application/json", []byte(`{"id":"urn:ada","type":["Profile"]}`))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)

	resp, body = e.api(t, http.MethodGet, APIPath+"/credentials", bob.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "0", resp.Header.Get("X-Total-Count"))
	assert.NotContains(t, body, "urn:uuid")
	resp, body = e.api(t, http.MethodGet, APIPath+"/profile", bob.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.NotContains(t, body, "urn:ada")

	// Bob storing the same badge makes his own copy; Ada's is unchanged.
	resp, body = e.api(t, http.MethodPost, APIPath+"/credentials", bob.AccessToken, "application/json", b.issue(t, 1, false))
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	resp, _ = e.api(t, http.MethodGet, APIPath+"/credentials", ada.AccessToken, "", nil)
	assert.Equal(t, "1", resp.Header.Get("X-Total-Count"))
}

// TestScopeRequired: a token without the operation's scope gets 403 and
// changes nothing.
func TestScopeRequired(t *testing.T) {
	oa := loadOpenAPI(t)
	b := newBadges(t)
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	tok := e.connect(t, e.register(t, ScopeCredentialReadonly), "ada")
	for _, c := range []struct{ method, path, ct string }{
		{http.MethodPost, "/credentials", "application/json"},
		{http.MethodGet, "/profile", ""},
		{http.MethodPut, "/profile", "application/json"},
	} {
		body := b.issue(t, 1, false)
		if c.path == "/profile" {
			body = []byte(`{"id":"urn:x","type":["Profile"]}`)
		}
		resp, out := e.api(t, c.method, APIPath+c.path, tok.AccessToken, c.ct, body)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s %s: %s", c.method, c.path, out)
		oa.validate(t, "Imsx_StatusInfo", out)
		assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "insufficient_scope")
	}
	resp, _ := e.api(t, http.MethodGet, APIPath+"/credentials", tok.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("X-Total-Count"), "the refused upsert stored nothing")
}

// TestTokenExpiredOrRevoked: an expired, revoked, unknown or missing
// token gets 401.
func TestTokenExpiredOrRevoked(t *testing.T) {
	oa := loadOpenAPI(t)
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	tok := e.connect(t, cfg, "ada")
	get := func(token string) (*http.Response, string) {
		return e.api(t, http.MethodGet, APIPath+"/credentials", token, "", nil)
	}
	resp, _ := get(tok.AccessToken)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	for name, token := range map[string]string{"none": "", "garbage": "not-a-token", "tampered": tok.AccessToken[:len(tok.AccessToken)-2] + "AA"} {
		resp, body := get(token)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, name)
		oa.validate(t, "Imsx_StatusInfo", body)
		assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
	}

	e.clock.Advance(DefaultAccessTokenLifetime + time.Second)
	resp, body := get(tok.AccessToken)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "expired")
	oa.validate(t, "Imsx_StatusInfo", body)

	tok2 := e.connect(t, cfg, "ada")
	resp, _ = get(tok2.AccessToken)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	e.revoke(t, cfg, tok2.AccessToken)
	resp, _ = get(tok2.AccessToken)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "revoked")
}

// TestCodeReplay: a code works once; presented again it is refused and
// the tokens it gave are revoked.
func TestCodeReplay(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	v, ch := pkce()
	q := e.authorize(t, cfg, "ada", "s", ch)
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(v))
	require.NoError(t, err)
	_, err = cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(v))
	require.ErrorContains(t, err, "invalid_grant")
	resp, _ := e.api(t, http.MethodGet, APIPath+"/credentials", tok.AccessToken, "", nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the replay revoked the first exchange's tokens")
	_, err = cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.Error(t, err)
}

// TestCodeExpires: a code is short-lived.
func TestCodeExpires(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	v, ch := pkce()
	q := e.authorize(t, cfg, "ada", "s", ch)
	e.clock.Advance(DefaultCodeLifetime + time.Second)
	_, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(v))
	require.ErrorContains(t, err, "invalid_grant")
}

// TestPKCE: the code needs the verifier of its challenge; requests
// without a challenge, or with the plain method, are refused.
func TestPKCE(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)

	_, ch := pkce()
	q := e.authorize(t, cfg, "ada", "s", ch)
	other, _ := pkce()
	_, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(other))
	require.ErrorContains(t, err, "invalid_grant", "wrong verifier")
	_, err = cfg.Exchange(context.Background(), q.Get("code"))
	require.Error(t, err, "no verifier")

	for name, params := range map[string][]oauth2.AuthCodeOption{
		"no challenge": nil,
		"plain":        {oauth2.SetAuthURLParam("code_challenge", other), oauth2.SetAuthURLParam("code_challenge_method", "plain")},
		"no method":    {oauth2.SetAuthURLParam("code_challenge", ch)},
	} {
		resp, body := newBrowser().get(t, cfg.AuthCodeURL("s", params...))
		loc := resp.Header.Get("Location")
		require.False(t, strings.HasPrefix(loc, e.base+LoginPath), "%s: no sign-in for a request without S256 PKCE (%d %s)", name, resp.StatusCode, body)
		if loc != "" {
			u, err := url.Parse(loc)
			require.NoError(t, err)
			assert.Equal(t, "invalid_request", u.Query().Get("error"), name)
			assert.Empty(t, u.Query().Get("code"), name)
		}
	}
}

// TestRedirectURIExact: only the registered redirect URI, exactly, is
// used; a code is not exchanged with another one.
func TestRedirectURIExact(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	_, ch := pkce()
	for _, other := range []string{"http://127.0.0.1:1/callback/", "http://127.0.0.1:2/callback", "http://127.0.0.1:1/callback?x=1", "https://evil.example/callback"} {
		c := *cfg
		c.RedirectURL = other
		resp, body := newBrowser().get(t, c.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", ch), oauth2.SetAuthURLParam("code_challenge_method", "S256")))
		loc := resp.Header.Get("Location")
		assert.False(t, strings.HasPrefix(loc, other), "%s: never redirected to an unregistered URI", other)
		assert.False(t, strings.HasPrefix(loc, e.base+LoginPath), "%s: no sign-in (%d %s)", other, resp.StatusCode, body)
	}

	v, ch := pkce()
	q := e.authorize(t, cfg, "ada", "s", ch)
	c := *cfg
	c.RedirectURL = "http://127.0.0.1:1/callback/"
	_, err := c.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(v))
	require.ErrorContains(t, err, "invalid_grant")
}

// TestStateReturned: the state the client sent comes back unchanged (the
// client compares it; see TestReceiveCodeState).
func TestStateReturned(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	_, ch := pkce()
	state := "a state with spaces & symbols/+="
	q := e.authorize(t, cfg, "ada", state, ch)
	require.Equal(t, state, q.Get("state"))
}

// TestRefreshReuse: a refresh token used twice revokes every token of its
// grant, the new ones included.
func TestRefreshReuse(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	tok := e.connect(t, cfg, "ada")
	ctx := context.Background()
	next, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.NoError(t, err)
	resp, _ := e.api(t, http.MethodGet, APIPath+"/credentials", next.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.ErrorContains(t, err, "invalid_grant", "the old refresh token is refused")
	resp, _ = e.api(t, http.MethodGet, APIPath+"/credentials", next.AccessToken, "", nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the family's access token is revoked")
	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: next.RefreshToken}).Token()
	require.Error(t, err, "the family's newest refresh token is revoked")
}

// TestRegistrationValidation: registration input is checked.
func TestRegistrationValidation(t *testing.T) {
	e := sqliteEnv(t)
	good := func() map[string]any {
		return map[string]any{
			"client_name": "W", "client_uri": "https://w.example", "software_id": "w", "software_version": "1",
			"redirect_uris": []string{"https://w.example/cb"}, "scope": ScopeCredentialReadonly,
		}
	}
	code, body := e.postJSON(t, RegistrationPath, good())
	require.Equal(t, http.StatusCreated, code, body)
	for name, c := range map[string]struct {
		change func(map[string]any)
		want   string
	}{
		"no redirect":        {func(m map[string]any) { delete(m, "redirect_uris") }, "invalid_redirect_uri"},
		"http redirect":      {func(m map[string]any) { m["redirect_uris"] = []string{"http://w.example/cb"} }, "invalid_redirect_uri"},
		"custom scheme":      {func(m map[string]any) { m["redirect_uris"] = []string{"wallet://cb"} }, "invalid_redirect_uri"},
		"fragment":           {func(m map[string]any) { m["redirect_uris"] = []string{"https://w.example/cb#x"} }, "invalid_redirect_uri"},
		"userinfo":           {func(m map[string]any) { m["redirect_uris"] = []string{"https://u:p@w.example/cb"} }, "invalid_redirect_uri"},
		"relative":           {func(m map[string]any) { m["redirect_uris"] = []string{"/cb"} }, "invalid_redirect_uri"},
		"too many redirects": {func(m map[string]any) { m["redirect_uris"] = make([]string, MaxRedirectURIs+1) }, "invalid_redirect_uri"},
		"long redirect": {func(m map[string]any) {
			m["redirect_uris"] = []string{"https://w.example/" + strings.Repeat("a", MaxURIBytes)}
		}, "invalid_redirect_uri"},
		"no name":           {func(m map[string]any) { delete(m, "client_name") }, "invalid_client_metadata"},
		"long name":         {func(m map[string]any) { m["client_name"] = strings.Repeat("n", MaxNameBytes+1) }, "invalid_client_metadata"},
		"no client_uri":     {func(m map[string]any) { delete(m, "client_uri") }, "invalid_client_metadata"},
		"bad logo":          {func(m map[string]any) { m["logo_uri"] = "javascript:alert(1)" }, "invalid_client_metadata"},
		"no scope":          {func(m map[string]any) { delete(m, "scope") }, "invalid_client_metadata"},
		"foreign scope":     {func(m map[string]any) { m["scope"] = "openid" }, "invalid_client_metadata"},
		"implicit grant":    {func(m map[string]any) { m["grant_types"] = []string{"implicit"} }, "invalid_client_metadata"},
		"token response":    {func(m map[string]any) { m["response_types"] = []string{"token"} }, "invalid_client_metadata"},
		"public client":     {func(m map[string]any) { m["token_endpoint_auth_method"] = "none" }, "invalid_client_metadata"},
		"no software_id":    {func(m map[string]any) { delete(m, "software_id") }, "invalid_client_metadata"},
		"too many contacts": {func(m map[string]any) { m["contacts"] = make([]string, MaxContacts+1) }, "invalid_client_metadata"},
	} {
		m := good()
		c.change(m)
		code, body := e.postJSON(t, RegistrationPath, m)
		require.Equal(t, http.StatusBadRequest, code, "%s: %s", name, body)
		assert.Contains(t, body, `"error":"`+c.want+`"`, name)
	}
	resp, err := http.Post(e.base+RegistrationPath, "application/json", bytes.NewReader(bytes.Repeat([]byte(" "), MaxRegistrationBytes+1)))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	code, _ = e.postJSON(t, RegistrationPath, []string{"not an object"})
	require.Equal(t, http.StatusBadRequest, code)
}

// TestUpsertRefused: a forged, unsigned, oversized or mislabelled
// credential is refused and nothing is stored.
func TestUpsertRefused(t *testing.T) {
	oa := loadOpenAPI(t)
	b := newBadges(t)
	e := sqliteEnv(t, func(c *Config) { c.MaxCredentialBytes = 64 << 10 })
	e.addLearner(t, "ada")
	tok := e.connect(t, e.register(t, allScopes), "ada")

	good := b.issue(t, 1, false)
	forged := bytes.Replace(good, []byte("Welding Safety Level 1"), []byte("Welding Safety Level 9"), 1)
	require.NotEqual(t, good, forged)
	jws := b.issue(t, 2, true)
	forgedJWS := append(bytes.Clone(jws[:len(jws)-4]), []byte("AAAA")...)
	var unsigned map[string]any
	require.NoError(t, json.Unmarshal(good, &unsigned))
	delete(unsigned, "proof")
	unsignedJSON, _ := json.Marshal(unsigned)
	big := bytes.Replace(good, []byte(`"name":`), []byte(`"x":"`+strings.Repeat("x", 64<<10)+`","name":`), 1)

	for name, c := range map[string]struct {
		ct   string
		body []byte
		code int
	}{
		"forged":          {"application/json", forged, http.StatusBadRequest},
		"forged JWS":      {"text/plain", forgedJWS, http.StatusBadRequest},
		"unsigned":        {"application/json", unsignedJSON, http.StatusBadRequest},
		"oversized":       {"application/json", big, http.StatusRequestEntityTooLarge},
		"JSON as text":    {"text/plain", good, http.StatusBadRequest},
		"JWS as JSON":     {"application/json", jws, http.StatusBadRequest},
		"not JSON":        {"application/json", []byte("{"), http.StatusBadRequest},
		"no content type": {"", good, http.StatusBadRequest},
		"image":           {"image/png", good, http.StatusBadRequest},
	} {
		resp, out := e.api(t, http.MethodPost, APIPath+"/credentials", tok.AccessToken, c.ct, c.body)
		require.Equal(t, c.code, resp.StatusCode, "%s: %s", name, out)
		oa.validate(t, "Imsx_StatusInfo", out)
	}
	resp, _ := e.api(t, http.MethodGet, APIPath+"/credentials", tok.AccessToken, "", nil)
	assert.Equal(t, "0", resp.Header.Get("X-Total-Count"), "nothing refused was stored")

	for name, p := range map[string]string{
		"no type": `{"id":"urn:x"}`, "no id": `{"type":["Profile"]}`, "duplicate": `{"id":"urn:x","id":"urn:y","type":["Profile"]}`,
		"array": `[]`, "relative id": `{"id":"x","type":["Profile"]}`,
	} {
		resp, out := e.api(t, http.MethodPut, APIPath+"/profile", tok.AccessToken, "application/json", []byte(p))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", name, out)
		oa.validate(t, "Imsx_StatusInfo", out)
	}
}

// TestConsentCSRF: the sign-in and consent forms need their CSRF token and
// the same origin; a forged consent grants nothing.
func TestConsentCSRF(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	_, ch := pkce()
	b := newBrowser()
	authURL := cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", ch), oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	page, id, csrf := e.consentPage(t, b, authURL, "ada")
	assert.Contains(t, page, "Test Wallet", "the consent page names the client")
	assert.Contains(t, page, "wallet.example")
	for _, sc := range strings.Fields(allScopes) {
		assert.Contains(t, page, Scopes[sc], "the consent page names every scope")
	}

	resp, _ := b.post(t, e.base+ConsentPath, url.Values{"id": {id}, "decision": {"approve"}})
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "no CSRF token")
	resp, _ = b.post(t, e.base+ConsentPath, url.Values{"id": {id}, "csrf": {strings.Repeat("0", 64)}, "decision": {"approve"}})
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "wrong CSRF token")
	req, _ := http.NewRequest(http.MethodPost, e.base+ConsentPath, strings.NewReader(url.Values{"id": {id}, "csrf": {csrf}, "decision": {"approve"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, _ = b.do(t, req)
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "another origin")
	// Another browser (no session) cannot answer.
	resp, _ = newBrowser().post(t, e.base+ConsentPath, url.Values{"id": {id}, "csrf": {csrf}, "decision": {"approve"}})
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	r, err := e.srv.Store().authRequestByID(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, requestPending, r.State, "nothing was granted")
	resp, _ = b.get(t, e.srv.issuer+"/authorize/callback?id="+id)
	assert.Empty(t, mustParse(t, resp.Header.Get("Location")).Query().Get("code"), "no code before consent")

	// Deny: back to the client with access_denied.
	resp, _ = b.post(t, e.base+ConsentPath, url.Values{"id": {id}, "csrf": {csrf}, "decision": {"deny"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	q := mustParse(t, resp.Header.Get("Location")).Query()
	assert.Equal(t, "access_denied", q.Get("error"))
	assert.Equal(t, "s", q.Get("state"))
	assert.Empty(t, q.Get("code"))
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// TestLogin: a wrong password starts no session; cookies are HttpOnly and
// SameSite=Lax.
func TestLogin(t *testing.T) {
	e := sqliteEnv(t)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	_, ch := pkce()
	b := newBrowser()
	resp, _ := b.get(t, cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", ch), oauth2.SetAuthURLParam("code_challenge_method", "S256")))
	resp, page := b.get(t, resp.Header.Get("Location"))
	assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
	for _, c := range resp.Cookies() {
		assert.True(t, c.HttpOnly, c.Name)
		assert.Equal(t, http.SameSiteLaxMode, c.SameSite, c.Name)
	}
	id, csrf := formValue(t, idField, page), formValue(t, csrfField, page)
	resp, page = b.post(t, e.base+LoginPath, url.Values{"id": {id}, "csrf": {csrf}, "username": {"ada"}, "password": {"wrong password"}})
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, page, "Wrong username or password")
	assert.Contains(t, page, `name="password"`, "still the sign-in form")
	resp, _ = b.post(t, e.base+LoginPath, url.Values{"id": {id}, "username": {"ada"}, "password": {"password-of-ada"}})
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "sign-in needs the CSRF token (login CSRF)")
	resp, _ = b.post(t, e.base+LoginPath, url.Values{"id": {id}, "csrf": {csrf}, "username": {"ada"}, "password": {"password-of-ada"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	require.NotNil(t, session)
	assert.True(t, session.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, session.SameSite)
}

// TestSecureCookies: over https the cookies are Secure with the __Host-
// prefix.
func TestSecureCookies(t *testing.T) {
	e := &testEnv{}
	hs := newTLSEnv(t, e)
	e.addLearner(t, "ada")
	cfg := e.register(t, allScopes)
	_, ch := pkce()
	c := hs.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", ch), oauth2.SetAuthURLParam("code_challenge_method", "S256")))
	require.NoError(t, err)
	resp.Body.Close()
	resp, err = c.Get(resp.Header.Get("Location"))
	require.NoError(t, err)
	resp.Body.Close()
	require.NotEmpty(t, resp.Cookies())
	for _, ck := range resp.Cookies() {
		assert.True(t, ck.Secure, ck.Name)
		assert.True(t, strings.HasPrefix(ck.Name, "__Host-"), ck.Name)
		assert.True(t, ck.HttpOnly, ck.Name)
	}
}
