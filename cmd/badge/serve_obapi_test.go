package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/internal/obtest"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/obapi"
	"github.com/microcred/openbadges/status/sqlstore"
)

// obRequest is a request to the Open Badges API with a bearer token.
func obRequest(t *testing.T, method, u, token, contentType string, body []byte) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// TestServeOBAPIFlow runs the whole Open Badges API flow against a real
// badge serve process on loopback, with the golang.org/x/oauth2 client:
// discovery, registration, authorization (the test answers the consent
// page as the learner), code exchange, three badges issued by the same
// server's VC-API and upserted, listed with paging, the profile read and
// updated, a refresh and a revocation.
func TestServeOBAPIFlow(t *testing.T) {
	bin := buildBadge(t)
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	dbPath := filepath.Join(dir, "badges.db")
	// The learner's account, in the database the server will use.
	ctx := context.Background()
	store, err := obapi.OpenStore(ctx, obapi.StoreConfig{DB: storetest.OpenSQLite(t, dbPath), Dialect: sqlstore.SQLite})
	require.NoError(t, err)
	_, err = store.AddAccount(ctx, "ada", "ada's long password", 4)
	require.NoError(t, err)

	p := startServeProc(t, bin, dir, "--key", "issuer.jwk", "--db", "sqlite:"+dbPath, "--ob-api")
	base := p.url

	// Discovery gives the registration, authorization and token URLs.
	resp, err := http.Get(base + obapi.APIPath + "/discovery")
	require.NoError(t, err)
	var sdd map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sdd))
	resp.Body.Close()
	scheme := sdd["components"].(map[string]any)["securitySchemes"].(map[string]any)["OAuth2ACG"].(map[string]any)
	flow := scheme["flows"].(map[string]any)["authorizationCode"].(map[string]any)

	redirect := "http://127.0.0.1:9/callback"
	reg, _ := json.Marshal(map[string]any{
		"client_name": "Ada's wallet", "client_uri": "https://wallet.example", "software_id": "wallet", "software_version": "1",
		"redirect_uris": []string{redirect}, "scope": strings.Join([]string{obapi.ScopeCredentialReadonly, obapi.ScopeCredentialUpsert, obapi.ScopeProfileReadonly, obapi.ScopeProfileUpdate}, " "),
	})
	resp, err = http.Post(scheme["x-imssf-registrationUrl"].(string), "application/json", bytes.NewReader(reg))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var client struct{ ClientID, ClientSecret string }
	var raw map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	resp.Body.Close()
	client.ClientID, client.ClientSecret = raw["client_id"].(string), raw["client_secret"].(string)

	cfg := &oauth2.Config{
		ClientID: client.ClientID, ClientSecret: client.ClientSecret, RedirectURL: redirect,
		Scopes:   []string{obapi.ScopeCredentialReadonly, obapi.ScopeCredentialUpsert, obapi.ScopeProfileReadonly, obapi.ScopeProfileUpdate},
		Endpoint: oauth2.Endpoint{AuthURL: flow["authorizationUrl"].(string), TokenURL: flow["tokenUrl"].(string), AuthStyle: oauth2.AuthStyleInHeader},
	}
	verifier := oauth2.GenerateVerifier()
	back, err := obtest.NewLearner("ada", "ada's long password", nil).Authorize(ctx, cfg.AuthCodeURL("xyz", oauth2.S256ChallengeOption(verifier)))
	require.NoError(t, err)
	require.Equal(t, "xyz", back.Query().Get("state"))
	tok, err := cfg.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	require.NotEmpty(t, tok.RefreshToken)
	hc := cfg.Client(ctx, tok)

	// Three badges issued by this server and stored for Ada.
	for n := 1; n <= 3; n++ {
		code, out := postJSON(t, http.DefaultClient, base+"/credentials/issue", map[string]any{"credential": templateBadge(t, k.DID, "did:example:ada", "urn:uuid:00000000-0000-4000-8000-00000000000"+string(rune('0'+n)))})
		require.Equal(t, http.StatusCreated, code, "%v", out)
		signed, _ := json.Marshal(out["verifiableCredential"])
		resp, err := hc.Post(base+obapi.APIPath+"/credentials", "application/json", bytes.NewReader(signed))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s\n%s", body, p.stderr)
	}

	var ids []string
	next := base + obapi.APIPath + "/credentials?limit=2"
	for next != "" {
		resp, err := hc.Get(next)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "3", resp.Header.Get("X-Total-Count"))
		var page struct{ Credential []map[string]any }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
		resp.Body.Close()
		for _, c := range page.Credential {
			ids = append(ids, c["id"].(string))
		}
		next = ""
		for _, l := range strings.Split(resp.Header.Get("Link"), ",") {
			if strings.Contains(l, `rel="next"`) {
				next = strings.Trim(strings.TrimSpace(strings.Split(l, ";")[0]), "<>")
			}
		}
	}
	require.Len(t, ids, 3)
	assert.True(t, strings.HasSuffix(ids[2], "3"), "in the order stored: %v", ids)

	req, _ := http.NewRequest(http.MethodPut, base+obapi.APIPath+"/profile", strings.NewReader(`{"id":"https://ada.example","type":["Profile"],"name":"Ada"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, body := obRequest(t, http.MethodGet, base+obapi.APIPath+"/profile", tok.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"id":"https://ada.example","type":["Profile"],"name":"Ada"}`, body)

	refreshed, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.NoError(t, err)
	resp, _ = obRequest(t, http.MethodGet, base+obapi.APIPath+"/credentials", refreshed.AccessToken, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	form := url.Values{"token": {refreshed.RefreshToken}}
	req, _ = http.NewRequest(http.MethodPost, base+obapi.RevocationPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(client.ClientID), url.QueryEscape(client.ClientSecret))
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = obRequest(t, http.MethodGet, base+obapi.APIPath+"/credentials", refreshed.AccessToken, "", nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "revoked with its refresh token")
}
