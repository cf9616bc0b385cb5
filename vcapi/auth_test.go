package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
)

// authServer serves two issuers ("" and "jcs") with status lists, with
// cfg's Tokens and RateLimit.
func authServer(t *testing.T, cfg vcapi.Config) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	cfg.Issuers = []vcapi.IssuerConfig{issuerConfig(testKey(t, 1), ""), issuerConfig(testKey(t, 2), "jcs")}
	cfg.StatusStore = status.NewMemoryStore()
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	s, err := vcapi.New(context.Background(), cfg)
	require.NoError(t, err)
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// call POSTs body to path with the token (none if empty) and returns the
// response with its body read.
func call(t *testing.T, ts *httptest.Server, path, token string, body any) (*http.Response, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	if len(raw) > 0 {
		require.NoError(t, json.Unmarshal(raw, &m), string(raw))
	}
	return resp, m
}

func tokenFile(t *testing.T, tokens ...vcapi.Token) *vcapi.Tokens {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# tokens of the test\n\n")
	for _, tok := range tokens {
		b.Write(tok.MarshalLine())
	}
	ts, err := vcapi.ReadTokens(&b)
	require.NoError(t, err)
	require.Equal(t, len(tokens), ts.Len())
	return ts
}

// TestAuth: the endpoints that change state need a bearer token of the
// issuer they act for: none or an unknown one is 401 with a challenge, one
// of another issuer 403, all as problem details; verify stays public.
func TestAuth(t *testing.T) {
	defSecret, defTok, err := vcapi.NewToken("registrar", "")
	require.NoError(t, err)
	jcsSecret, jcsTok, err := vcapi.NewToken("jcs-registrar", "jcs")
	require.NoError(t, err)
	allSecret, allTok, err := vcapi.NewToken("ops", vcapi.AnyIssuer)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(defSecret, "obt_"), defSecret)
	assert.NotContains(t, string(defTok.MarshalLine()), defSecret)
	ts := authServer(t, vcapi.Config{Tokens: tokenFile(t, defTok, jcsTok, allTok)})
	did := testKey(t, 1).DID
	issueBody := map[string]any{"credential": vc2(did), "options": map[string]any{
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}

	problem := func(resp *http.Response, body map[string]any, code int) {
		t.Helper()
		assert.Equal(t, code, resp.StatusCode, "%v", body)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		assert.Equal(t, float64(code), body["status"])
		assert.NotEmpty(t, body["detail"])
	}
	for name, header := range map[string]string{
		"none": "", "not bearer": "Basic " + defSecret, "empty": "Bearer ", "unknown": "Bearer obt_AAAA",
		"truncated": "Bearer " + defSecret[:len(defSecret)-1], "longer": "Bearer " + defSecret + "x",
	} {
		t.Run(name, func(t *testing.T) {
			for _, path := range []string{"/credentials/issue", "/credentials/status", "/issuers/jcs/credentials/issue", "/status/default-revocation/publish"} {
				resp, body := call(t, ts, path, header, issueBody)
				problem(resp, body, 401)
				assert.True(t, strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer realm="badge serve"`), resp.Header.Get("WWW-Authenticate"))
			}
		})
	}

	// The default issuer's token issues there, and only there.
	resp, body := call(t, ts, "/credentials/issue", "Bearer "+defSecret, issueBody)
	require.Equal(t, 201, resp.StatusCode, "%v", body)
	vc := body["verifiableCredential"].(map[string]any)
	resp, body = call(t, ts, "/issuers/jcs/credentials/issue", "Bearer "+defSecret, issueBody)
	problem(resp, body, 403)
	assert.Contains(t, body["detail"], `"registrar"`)
	resp, body = call(t, ts, "/status/jcs-revocation/publish", "bearer "+defSecret, nil)
	problem(resp, body, 403)
	resp, _ = call(t, ts, "/status/default-revocation/publish", "bearer "+defSecret, nil)
	assert.Equal(t, 204, resp.StatusCode)
	resp, body = call(t, ts, "/status/no-such-list/publish", "Bearer "+defSecret, nil)
	problem(resp, body, 404)

	// The jcs token acts for jcs only.
	resp, body = call(t, ts, "/credentials/status", "Bearer "+jcsSecret, map[string]any{
		"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "revocation"}})
	problem(resp, body, 403)
	resp, body = call(t, ts, "/issuers/jcs/credentials/issue", "Bearer "+jcsSecret, map[string]any{"credential": vc2(testKey(t, 2).DID)})
	require.Equal(t, 201, resp.StatusCode, "%v", body)

	// A token for every issuer revokes; the public verifier sees it.
	resp, body = call(t, ts, "/credentials/status", "Bearer "+allSecret, map[string]any{
		"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "revocation"}})
	require.Equal(t, 200, resp.StatusCode, "%v", body)
	resp, body = call(t, ts, "/credentials/verify", "", map[string]any{"verifiableCredential": vc})
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, false, body["verified"])
}

// TestAuthDisabled: without tokens, the endpoints that change state are
// refused (403) unless InsecureNoAuth; verify and the status lists stay.
func TestAuthDisabled(t *testing.T) {
	ts := authServer(t, vcapi.Config{})
	did := testKey(t, 1).DID
	for _, path := range []string{"/credentials/issue", "/credentials/status", "/issuers/jcs/credentials/status", "/status/default-revocation/publish"} {
		resp, body := call(t, ts, path, "", map[string]any{"credential": vc2(did)})
		assert.Equal(t, 403, resp.StatusCode, path)
		assert.Contains(t, body["detail"], "--auth-tokens", path)
	}
	resp, err := ts.Client().Get(ts.URL + "/status/default-revocation")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	open := authServer(t, vcapi.Config{InsecureNoAuth: true})
	resp, body := call(t, open, "/credentials/issue", "", map[string]any{"credential": vc2(did)})
	assert.Equal(t, 201, resp.StatusCode, "%v", body)
}

func TestReadTokensRefuses(t *testing.T) {
	_, tok, err := vcapi.NewToken("a", "")
	require.NoError(t, err)
	good := strings.TrimSpace(string(tok.MarshalLine()))
	for name, file := range map[string]string{
		"not JSON":       "registrar abc\n",
		"unknown member": `{"name":"a","issuer":"","sha256":"` + tok.SHA256 + `","secret":"x"}`,
		"short hash":     `{"name":"a","issuer":"","sha256":"abcd"}`,
		"not hex":        `{"name":"a","issuer":"","sha256":"` + strings.Repeat("z", 64) + `"}`,
		"bad issuer":     `{"name":"a","issuer":"a/b","sha256":"` + tok.SHA256 + `"}`,
		"two objects":    good + good,
	} {
		_, err := vcapi.ReadTokens(strings.NewReader(file))
		assert.ErrorIs(t, err, vcapi.ErrTokens, name)
	}
	_, _, err = vcapi.NewToken("x", "a/b")
	assert.ErrorIs(t, err, vcapi.ErrTokens)
}

// TestRateLimit: a client over the verify rate gets 429 with Retry-After,
// as a problem; other clients and other endpoints are not held back.
func TestRateLimit(t *testing.T) {
	var client string
	ts := authServer(t, vcapi.Config{InsecureNoAuth: true, RateLimit: vcapi.RateLimit{
		PerSecond: 0.5, Burst: 3,
		ClientKey: func(r *http.Request) string { return r.Header.Get("X-Test-Client") },
	}})
	verify := func(who string) (*http.Response, map[string]any) {
		client = who
		b, _ := json.Marshal(map[string]any{"verifiableCredential": vc2(testKey(t, 1).DID)})
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/credentials/verify", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Client", client)
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return resp, m
	}
	for range 3 {
		resp, _ := verify("a")
		assert.Equal(t, 400, resp.StatusCode) // unsigned: not verified, but answered
	}
	resp, body := verify("a")
	require.Equal(t, 429, resp.StatusCode, "%v", body)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, retry >= 1 && retry <= 2, "Retry-After %d", retry)
	assert.Equal(t, float64(429), body["status"])
	resp, _ = verify("b")
	assert.Equal(t, 400, resp.StatusCode, "another client")
	resp, body = call(t, ts, "/credentials/issue", "", map[string]any{"credential": vc2(testKey(t, 1).DID)})
	assert.Equal(t, 201, resp.StatusCode, "issuing is not rate-limited: %v", body)

	_, err = vcapi.New(context.Background(), vcapi.Config{RateLimit: vcapi.RateLimit{PerSecond: -1}})
	assert.ErrorIs(t, err, vcapi.ErrConfig)
}
