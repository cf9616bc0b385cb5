package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeOperations: a real badge serve answers /healthz, /readyz and
// /openapi.json, counts in /metrics under the documented names, and logs
// a JSON line per request with its request id (--log-format json).
func TestServeOperations(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	url, stderr, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--status-dir", "status", "--log-format", "json")
	defer stop()

	resp := send(t, url+"/credentials/issue", "", map[string]any{"credential": credentialFor(k.DID, "urn:uuid:ops-1"),
		"options": map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
	require.Equal(t, 201, resp.StatusCode)
	code, issued := postJSON(t, http.DefaultClient, url+"/credentials/issue", map[string]any{"credential": credentialFor(k.DID, "urn:uuid:ops-2")})
	require.Equal(t, 201, code)
	code, _ = postJSON(t, http.DefaultClient, url+"/credentials/verify", map[string]any{"verifiableCredential": issued["verifiableCredential"]})
	require.Equal(t, 200, code)
	require.Equal(t, 200, send(t, url+"/credentials/status", "", map[string]any{
		"credentialId": "urn:uuid:ops-1", "credentialStatus": map[string]any{"type": "revocation"}}).StatusCode)

	for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"ready"`, "/openapi.json": `"openapi": "3.1.0"`} {
		req, _ := http.NewRequest(http.MethodGet, url+path, nil)
		req.Header.Set("X-Request-ID", "ops-"+strings.Trim(path, "/."))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Contains(t, string(b), want, path)
		assert.Equal(t, "ops-"+strings.Trim(path, "/."), resp.Header.Get("X-Request-ID"))
	}

	resp, err := http.Get(url + "/metrics")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(b)
	for _, line := range []string{
		`badge_http_requests_total{code="201",method="POST",route="/credentials/issue"} 2`,
		`badge_http_requests_total{code="200",method="POST",route="/credentials/verify"} 1`,
		`badge_http_request_duration_seconds_bucket{method="POST",route="/credentials/verify",le="0.005"}`,
		`badge_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
		`badge_verifications_total{kind="credential",outcome="verified"} 1`,
		`badge_credentials_issued_total{issuer=""} 2`,
		`badge_status_changes_total{issuer="",purpose="revocation",state="revoked"} 1`,
		`go_goroutines `,
	} {
		assert.Contains(t, metrics, line)
	}

	var sawRequest bool
	for _, l := range strings.Split(stderr.String(), "\n") {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		if m["msg"] == "request" && m["path"] == "/readyz" {
			sawRequest = true
			assert.Equal(t, "ops-readyz", m["request_id"])
			assert.Equal(t, float64(200), m["status"])
		}
	}
	assert.True(t, sawRequest, stderr.String())

	code, _, errOut := runBadge(t, dir, "", "serve", "healthcheck", "--url", url+"/healthz")
	assert.Equal(t, exitOK, code, errOut)
	code, _, errOut = runBadge(t, dir, "", "serve", "healthcheck", "--url", url+"/nowhere")
	assert.Equal(t, exitRejected, code)
	assert.Contains(t, errOut, "404")

	code, _, errOut = runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--log-format", "xml")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--log-format")
}
