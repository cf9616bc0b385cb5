package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRuntime is a directory with stand-ins for verifier.wasm and
// wasm_exec.js: these commands only copy and serve them (package web's
// tests run the real ones in a browser).
func fakeRuntime(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "verifier.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wasm_exec.js"), []byte("// wasm_exec.js\n"), 0o644))
	return dir
}

func TestPageCommand(t *testing.T) {
	dir := t.TempDir()
	rt := fakeRuntime(t)
	badge := signedBadge(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "badge.json"), badge, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a badge"), 0o644))

	code, _, stderr := invokeBadge(t, dir, "page", "--site", "site", "--wasm", rt)
	require.Equal(t, exitOK, code, stderr)
	for _, f := range []string{"index.html", "app.js", "style.css", "verifier.wasm", "wasm_exec.js"} {
		assert.FileExists(t, filepath.Join(dir, "site", f))
	}
	index, _ := os.ReadFile(filepath.Join(dir, "site", "index.html"))
	assert.Contains(t, string(index), `data-mode="verifier"`)
	assert.Contains(t, string(index), `Content-Security-Policy`)

	code, _, stderr = invokeBadge(t, dir, "page", "badge.json", "-o", "mine", "--wasm", rt)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "index.html")
	index, _ = os.ReadFile(filepath.Join(dir, "mine", "index.html"))
	assert.Contains(t, string(index), `data-credential-src="credential.json"`)
	cred, _ := os.ReadFile(filepath.Join(dir, "mine", "credential.json"))
	assert.Equal(t, badge, cred, "the credential is written unchanged")

	code, _, stderr = invokeBadge(t, dir, "page", "notes.txt", "-o", "x", "--wasm", rt)
	assert.Equal(t, exitRejected, code)
	assert.Contains(t, stderr, "not a credential")

	for _, args := range [][]string{{"page"}, {"page", "badge.json"}, {"page", "--site", "s", "badge.json"}, {"page", "--site", "s", "--wasm", t.TempDir()}} {
		code, _, _ := invokeBadge(t, dir, args...)
		assert.Equal(t, exitUsage, code, args)
	}
}

func TestTranscriptCommand(t *testing.T) {
	dir := t.TempDir()
	b := signedBadge(t)
	for _, n := range []string{"a.json", "b.json", "c.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), b, 0o644))
	}
	code, _, stderr := invokeBadge(t, dir, "transcript", "-o", "t.html", "a.json", "b.json", "c.json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "3 of 3 achievements verified")
	html, err := os.ReadFile(filepath.Join(dir, "t.html"))
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(string(html), `<article class="achievement" data-verdict="verified">`))
	assert.Contains(t, string(html), `<body data-verdict="verified">`)

	code, _, _ = invokeBadge(t, dir, "transcript", "a.json")
	assert.Equal(t, exitUsage, code)
}

func TestServeVerifierPage(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := invokeBadge(t, dir, "keygen", "-o", "issuer.jwk")
	require.Equal(t, exitOK, code, stderr)
	url, _, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--wasm", fakeRuntime(t))
	defer stop()

	resp, err := http.Get(url + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Contains(t, string(body), `data-mode="verifier"`)

	resp, err = http.Get(url + "/verifier.wasm")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))

	resp, err = http.Get(url + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the VC-API is still there")
	resp, err = http.Get(url + "/no-such-page")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
