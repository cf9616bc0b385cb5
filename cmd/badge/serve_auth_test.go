package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// send POSTs body with the bearer token (none if empty).
func send(t *testing.T, url, token string, body any) *http.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// TestServeAuthTokens: a token made by "badge serve token add" issues
// with --auth-tokens; a request without one gets 401; the token file keeps
// only the hash, readable by its owner only.
func TestServeAuthTokens(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	code, stdout, stderr := runBadge(t, dir, "", "serve", "token", "add", "--name", "registrar", "--file", "tokens.jsonl")
	require.Equal(t, 0, code, stderr)
	secret := strings.TrimSpace(stdout)
	require.True(t, strings.HasPrefix(secret, "obt_"), stdout)
	assert.Contains(t, stderr, `token "registrar" for issuer "" added to tokens.jsonl`)
	file, err := os.ReadFile(filepath.Join(dir, "tokens.jsonl"))
	require.NoError(t, err)
	assert.NotContains(t, string(file), secret)
	fi, err := os.Stat(filepath.Join(dir, "tokens.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	// A second token for another issuer is appended.
	code, _, stderr = runBadge(t, dir, "", "serve", "token", "add", "--issuer", "other", "--name", "other", "--file", "tokens.jsonl")
	require.Equal(t, 0, code, stderr)

	url, _, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--auth-tokens", "tokens.jsonl")
	defer stop()
	body := map[string]any{"credential": credentialFor(k.DID, "urn:uuid:auth-1")}
	assert.Equal(t, 401, send(t, url+"/credentials/issue", "", body).StatusCode)
	assert.Equal(t, 401, send(t, url+"/credentials/issue", secret+"x", body).StatusCode)
	assert.Equal(t, 201, send(t, url+"/credentials/issue", secret, body).StatusCode)
}

// TestServeAuthDisabled: without --auth-tokens or --insecure-no-auth the
// server verifies but does not issue.
func TestServeAuthDisabled(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	url, _, stop := startServeExact(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0")
	defer stop()
	assert.Equal(t, 403, send(t, url+"/credentials/issue", "", map[string]any{"credential": credentialFor(k.DID, "urn:uuid:auth-2")}).StatusCode)
	assert.Equal(t, 400, send(t, url+"/credentials/verify", "", map[string]any{"verifiableCredential": credentialFor(k.DID, "urn:uuid:auth-2")}).StatusCode)
}

// TestServeRate: --rate bounds each client's verify requests.
func TestServeRate(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	url, _, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--rate", "1/m")
	defer stop()
	body := map[string]any{"verifiableCredential": credentialFor(k.DID, "urn:uuid:rate")}
	// 1/m allows a burst of 1.
	assert.Equal(t, 400, send(t, url+"/credentials/verify", "", body).StatusCode)
	resp := send(t, url+"/credentials/verify", "", body)
	require.Equal(t, 429, resp.StatusCode)
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.InDelta(t, 60, retry, 1)

	for _, bad := range []string{"fast", "-1", "10/d", "1/"} {
		code, _, stderr := runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--rate", bad)
		assert.Equal(t, exitUsage, code, bad)
		assert.Contains(t, stderr, "--rate", bad)
	}
	code, _, stderr := runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--auth-tokens", "t", "--insecure-no-auth")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "exclude each other")
	code, _, stderr = runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--auth-tokens", "missing.jsonl")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "missing.jsonl")
}
