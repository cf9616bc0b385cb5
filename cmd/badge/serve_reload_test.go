//go:build !js

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeReloadsAuthTokens: a real badge serve process on loopback takes
// a token out of service when its line leaves the --auth-tokens file,
// without a restart; reads the file at once on SIGHUP (and is not stopped
// by it); accepts no token while the file is unusable and again once it
// is fixed; and an emptied file revokes every token.
func TestServeReloadsAuthTokens(t *testing.T) {
	if testing.Short() {
		t.Skip("builds badge and waits for the file to be read again")
	}
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	tokens := filepath.Join(dir, "tokens.jsonl")
	add := func(name string) (secret, line string) {
		before, _ := os.ReadFile(tokens)
		code, stdout, stderr := runBadge(t, dir, "", "serve", "token", "add", "--name", name, "--file", "tokens.jsonl")
		require.Equal(t, 0, code, stderr)
		after, err := os.ReadFile(tokens)
		require.NoError(t, err)
		return strings.TrimSpace(stdout), strings.TrimPrefix(string(after), string(before))
	}
	lms, lmsLine := add("lms")
	registrar, registrarLine := add("registrar")
	// replace writes the file as an orchestrator or a careful operator
	// does: a new file renamed over the old one.
	replace := func(content string) {
		tmp := tokens + ".new"
		require.NoError(t, os.WriteFile(tmp, []byte(content), 0o600))
		require.NoError(t, os.Rename(tmp, tokens))
	}

	p := startServeProc(t, buildBadge(t), dir, "--key", "issuer.jwk", "--auth-tokens", "tokens.jsonl", "--log-format", "json")
	n := 0
	issue := func(token string) int {
		n++
		body := map[string]any{"credential": credentialFor(k.DID, fmt.Sprintf("urn:uuid:reload-%d", n))}
		return send(t, p.url+"/credentials/issue", token, body).StatusCode
	}
	// eventually waits for the server to answer token with code: the file
	// is read every few seconds.
	eventually := func(token string, code int, msg string) {
		t.Helper()
		assert.Eventually(t, func() bool { return issue(token) == code }, 15*time.Second, 100*time.Millisecond, msg)
	}
	require.Equal(t, 201, issue(lms))
	require.Equal(t, 201, issue(registrar))

	// The lms token's line is removed: it stops working, the other does not.
	replace(registrarLine)
	eventually(lms, 401, "a token removed from the file is refused")
	assert.Equal(t, 201, issue(registrar))
	assert.Contains(t, p.stderr.String(), `"msg":"auth tokens: the token file was read again","file":"tokens.jsonl","tokens":1`)

	// SIGHUP: the file is read at once, even unchanged, and the server
	// goes on.
	before := strings.Count(p.stderr.String(), "the token file was read again")
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGHUP))
	assert.Eventually(t, func() bool {
		return strings.Count(p.stderr.String(), "the token file was read again") > before
	}, 10*time.Second, 20*time.Millisecond, "SIGHUP reads the file again")
	assert.Equal(t, 201, issue(registrar))
	assert.Nil(t, p.cmd.ProcessState, "SIGHUP does not stop badge serve")

	// An unusable file: no token is accepted, verifying still works, and
	// the log says why; fixed, the tokens it lists work again.
	replace(registrarLine + "{not json\n")
	eventually(registrar, 401, "no token is accepted while the file is unusable")
	assert.Contains(t, p.stderr.String(), "the token file is unusable: no token is accepted until it is fixed")
	resp := send(t, p.url+"/credentials/verify", "", map[string]any{"verifiableCredential": map[string]any{}})
	assert.Equal(t, 400, resp.StatusCode, "verifying is not affected")
	replace(lmsLine + registrarLine)
	eventually(lms, 201, "a token added back works again")
	assert.Equal(t, 201, issue(registrar))

	// An empty file revokes every token.
	replace("")
	eventually(lms, 401, "an empty file revokes every token")
	assert.Equal(t, 401, issue(registrar))
}
