package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/obtest"
	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/obapi"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/verifier"
)

// TestOBConnectionRefreshSaved: the connection file is private (0600), and
// a refreshed token is saved at once: the host rotates refresh tokens, so
// a command that refreshed without saving would leave a used refresh
// token behind, whose next use revokes the whole grant.
func TestOBConnectionRefreshSaved(t *testing.T) {
	ctx := context.Background()
	hs := httptest.NewUnstartedServer(nil)
	base := "http://" + hs.Listener.Addr().String()
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Lenient: true})
	require.NoError(t, err)
	srv, err := obapi.New(ctx, obapi.Config{DB: storetest.OpenSQLite(t, storetest.SQLitePath(t)), Dialect: sqlstore.SQLite,
		BaseURL: base, Verifier: v, AccessTokenLifetime: 12 * time.Second})
	require.NoError(t, err)
	hs.Config.Handler = srv.Handler()
	hs.Start()
	defer hs.Close()
	_, err = srv.Store().AddAccount(ctx, "ada", "a long password", 4)
	require.NoError(t, err)

	// Connect by hand, as badge ob connect does.
	svc, err := obapi.Discover(ctx, http.DefaultClient, base)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	redirect := "http://" + ln.Addr().String() + "/callback"
	reg, err := svc.Register(ctx, http.DefaultClient, obapi.ClientMetadata{ClientName: "t", ClientURI: "https://t.example",
		SoftwareID: "t", SoftwareVersion: "1", RedirectURIs: []string{redirect}, Scope: obapi.ScopeCredentialReadonly})
	require.NoError(t, err)
	cfg := svc.OAuth(reg, redirect, []string{obapi.ScopeCredentialReadonly})
	pv := oauth2.GenerateVerifier()
	codec := make(chan string, 1)
	go func() { c, _ := obapi.ReceiveCode(ctx, ln, "/callback", "s"); codec <- c }()
	back, err := obtest.NewLearner("ada", "a long password", nil).Authorize(ctx, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(pv)))
	require.NoError(t, err)
	resp, err := http.Get(back.String())
	require.NoError(t, err)
	resp.Body.Close()
	tok, err := cfg.Exchange(ctx, <-codec, oauth2.VerifierOption(pv))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "conf", "ob.json")
	conn := &obConnection{Host: base, Service: *svc, ClientID: reg.ClientID, ClientSecret: reg.ClientSecret,
		RedirectURI: redirect, Scopes: cfg.Scopes, Token: tok, path: path}
	require.NoError(t, conn.save())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	pull := func() {
		t.Helper()
		var stdout, stderr bytes.Buffer
		e := &env{args: []string{"ob", "pull", "--token-file", path, "-o", t.TempDir()}, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
		require.Equal(t, exitOK, run(ctx, e), stderr.String())
		assert.Contains(t, stdout.String(), "0 credentials fetched")
	}
	for range 3 {
		// x/oauth2 refreshes 10 s before expiry: the 12 s token is due.
		time.Sleep(2 * time.Second)
		before, err := loadConnection(path)
		require.NoError(t, err)
		pull()
		after, err := loadConnection(path)
		require.NoError(t, err)
		assert.NotEqual(t, before.Token.RefreshToken, after.Token.RefreshToken, "the rotated refresh token is saved")
	}
}
