package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/obapi"
)

// The Open Badges API from the command line: badge ob connect, push and
// pull, as a client of any host; badge serve users add for the accounts
// of badge serve --ob-api.

func init() {
	register("", func(e *env) *cobra.Command {
		return groupCmd(e, "ob", "move badges to and from an Open Badges API host: connect, push, pull",
			`Commands for the Open Badges 3.0 API of any host (such as "badge serve
--ob-api"): connect once (OAuth 2.0 in the browser), then push and pull.
See docs/ob-api.md.`)
	})
	register("ob", newOBConnectCmd)
	register("ob", newOBPushCmd)
	register("ob", newOBPullCmd)
	register("serve", func(e *env) *cobra.Command {
		return groupCmd(e, "users", "manage the learner accounts of badge serve --ob-api", "Commands for the learner accounts of \"badge serve --ob-api\".")
	})
	register("serve users", newServeUsersAddCmd)
}

const tokenFileDoc = "keep the connection in `FILE` (default $XDG_CONFIG_HOME/openbadges/ob-connection.json)"

func newOBConnectCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connect [--scope SCOPE]... [--token-file FILE] URL",
		Short: "connect to an Open Badges API host (OAuth 2.0) for push and pull",
		Long: `Connects to the Open Badges API host at URL (its origin, or its discovery
URL): reads its service description, registers this program as a client,
prints the authorization URL for you to open in a browser, receives the
code on a loopback redirect (http://127.0.0.1:PORT/callback; a response
to another request, by its state, is refused) and exchanges it (PKCE
S256). The registration and the tokens are kept in the token file (mode
0600) for "badge ob push" and "badge ob pull".`,
		Annotations: map[string]string{annotationExit: "0 connected, 1 refused (by the host or the learner), 2 usage or network error"},
		Args:        maxArgs(1, "host URL"),
	}
	fs := cmd.Flags()
	scopes := fs.StringArray("scope", nil, "ask for `SCOPE` (repeatable; default all four: credential.readonly, credential.upsert, profile.readonly, profile.update, under https://purl.imsglobal.org/spec/ob/v3p0/scope/)")
	tokenFile := fs.String("token-file", "", tokenFileDoc)
	timeout := fs.Duration("timeout", 5*time.Minute, "wait at most `D` for the browser")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if len(args) != 1 {
			return usageErrFunc(e, cmd)("one host URL is required")
		}
		return runOBConnect(cmd.Context(), e, cmd, args[0], *scopes, *tokenFile, *timeout)
	})
	return cmd
}

func newOBPushCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "push [--token-file FILE] CREDENTIAL...",
		Short: "store credentials with the connected Open Badges API host",
		Long: `Stores each credential (a JSON file, a VC-JWT, or a baked PNG or SVG;
"-" is standard input) with the connected host (upsertCredential). The
host verifies each one before it keeps it. Prints "created" or "updated"
per file.`,
		Annotations: map[string]string{annotationExit: "0 all stored, 1 one was refused, 2 usage or network error"},
		Args:        cobra.ArbitraryArgs,
	}
	tokenFile := cmd.Flags().String("token-file", "", tokenFileDoc)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if len(args) == 0 {
			return usageErrFunc(e, cmd)("no credential given")
		}
		return runOBPush(cmd.Context(), e, *tokenFile, args)
	})
	return cmd
}

func newOBPullCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pull [--token-file FILE] [-o DIR]",
		Short: "fetch your credentials from the connected Open Badges API host",
		Long: `Fetches every credential the connected host keeps for you
(getCredentials, page by page) into DIR: N.json for JSON credentials,
N.jws for VC-JWTs, numbered in the host's order. Prints the number
fetched.`,
		Annotations: map[string]string{annotationExit: "0 fetched, 2 usage or network error"},
		Args:        maxArgs(0, ""),
	}
	tokenFile := cmd.Flags().String("token-file", "", tokenFileDoc)
	dir := cmd.Flags().StringP("output", "o", ".", "write the credentials into `DIR`")
	cmd.RunE = runInt(func(cmd *cobra.Command, _ []string) int {
		return runOBPull(cmd.Context(), e, *tokenFile, *dir)
	})
	return cmd
}

func newServeUsersAddCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add --db DB USERNAME",
		Short: "add a learner account for badge serve --ob-api",
		Long: `Adds a learner account for "badge serve --ob-api" on the database DB. The
password is the first line of standard input (at least 8 and at most 72
bytes); it is stored as a bcrypt hash.`,
		Annotations: map[string]string{annotationExit: "0 added, 1 the username is taken, 2 usage error"},
		Args:        maxArgs(1, "USERNAME"),
	}
	db := cmd.Flags().String("db", "", dbFlagDoc)
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if *db == "" || len(args) != 1 {
			return usageErrFunc(e, cmd)("--db and one USERNAME are required")
		}
		return runServeUsersAdd(cmd.Context(), e, *db, args[0])
	})
	return cmd
}

// obConnection is what the token file keeps.
type obConnection struct {
	Host         string        `json:"host"`
	Service      obapi.Service `json:"service"`
	ClientID     string        `json:"client_id"`
	ClientSecret string        `json:"client_secret"`
	RedirectURI  string        `json:"redirect_uri"`
	Scopes       []string      `json:"scopes"`
	Token        *oauth2.Token `json:"token"`
	mu           sync.Mutex
	path         string
}

// defaultTokenFile is $XDG_CONFIG_HOME/openbadges/ob-connection.json (or
// the platform's user configuration directory).
func defaultTokenFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user configuration directory (%v): give --token-file", err)
	}
	return filepath.Join(dir, "openbadges", "ob-connection.json"), nil
}

func tokenFilePath(e *env, flagValue string) (string, error) {
	if flagValue != "" {
		return e.path(flagValue), nil
	}
	return defaultTokenFile()
}

// save writes the connection with mode 0600 (atomically: a new file
// renamed over the old one).
func (c *obConnection) save() error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, c.path)
}

func loadConnection(path string) (*obConnection, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("not connected (no %s): run \"badge ob connect URL\" first", path)
	}
	if err != nil {
		return nil, err
	}
	c := &obConnection{path: path}
	if err := json.Unmarshal(b, c); err != nil || c.Token == nil {
		return nil, fmt.Errorf("%s: not a connection file", path)
	}
	return c, nil
}

// Token implements oauth2.TokenSource: the saved token, refreshed when it
// expires; every new token is saved at once, since the host rotates
// refresh tokens and the old one no longer works.
func (c *obConnection) client(ctx context.Context) *http.Client {
	cfg := c.Service.OAuth(&obapi.Registration{ClientID: c.ClientID, ClientSecret: c.ClientSecret}, c.RedirectURI, c.Scopes)
	src := cfg.TokenSource(ctx, c.Token)
	return oauth2.NewClient(ctx, tokenSourceFunc(func() (*oauth2.Token, error) {
		t, err := src.Token()
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.AccessToken != c.Token.AccessToken || t.RefreshToken != c.Token.RefreshToken {
			c.Token = t
			if err := c.save(); err != nil {
				return nil, fmt.Errorf("saving the refreshed token: %w", err)
			}
		}
		return t, nil
	}))
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// randomState returns a fresh value for the state parameter.
func randomState() string {
	var b [16]byte
	rand.Read(b[:])
	h := sha256.Sum256(b[:])
	return hex.EncodeToString(h[:16])
}

func runOBConnect(ctx context.Context, e *env, cmd *cobra.Command, host string, scopes []string, tokenFile string, timeout time.Duration) int {
	path, err := tokenFilePath(e, tokenFile)
	if err != nil {
		return usageErrFunc(e, cmd)("%v", err)
	}
	if len(scopes) == 0 {
		scopes = []string{obapi.ScopeCredentialReadonly, obapi.ScopeCredentialUpsert, obapi.ScopeProfileReadonly, obapi.ScopeProfileUpdate}
	}
	scopes = slices.Clone(scopes)
	for i, s := range scopes {
		if !strings.Contains(s, "/") {
			scopes[i] = "https://purl.imsglobal.org/spec/ob/v3p0/scope/" + s
		}
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(e.stderr, "badge ob connect: %v\n", err)
		return code
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hc := &http.Client{Timeout: time.Minute}
	svc, err := obapi.Discover(ctx, hc, host)
	if err != nil {
		return fail(exitUsage, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(exitUsage, err)
	}
	redirect := "http://" + ln.Addr().String() + "/callback"
	reg, err := svc.Register(ctx, hc, obapi.ClientMetadata{
		ClientName: "badge (openbadges command line)", ClientURI: "https://github.com/microcred/openbadges",
		SoftwareID: "github.com/microcred/openbadges/cmd/badge", SoftwareVersion: "1",
		RedirectURIs: []string{redirect}, Scope: strings.Join(scopes, " "),
	})
	if err != nil {
		ln.Close()
		return fail(exitRejected, err)
	}
	cfg := svc.OAuth(reg, redirect, scopes)
	verifier, state := oauth2.GenerateVerifier(), randomState()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	fmt.Fprintf(e.stderr, "Open this URL in your browser to sign in and allow access:\n\n  %s\n\nWaiting for the answer on %s …\n", authURL, redirect)
	code, err := obapi.ReceiveCode(ctx, ln, "/callback", state)
	if err != nil {
		if errors.Is(err, obapi.ErrAuthorization) || errors.Is(err, obapi.ErrStateMismatch) {
			return fail(exitRejected, err)
		}
		return fail(exitUsage, err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return fail(exitRejected, err)
	}
	conn := &obConnection{Host: host, Service: *svc, ClientID: reg.ClientID, ClientSecret: reg.ClientSecret,
		RedirectURI: redirect, Scopes: scopes, Token: tok, path: path}
	if err := conn.save(); err != nil {
		return fail(exitUsage, err)
	}
	fmt.Fprintf(e.stdout, "connected to %s (%s)\n", svc.APIURL, path)
	return exitOK
}

// connectionFor loads the connection of --token-file (or the default
// file), reporting a problem as name's error.
func connectionFor(e *env, name, tokenFile string) (*obConnection, bool) {
	path, err := tokenFilePath(e, tokenFile)
	if err == nil {
		var c *obConnection
		if c, err = loadConnection(path); err == nil {
			return c, true
		}
	}
	fmt.Fprintf(e.stderr, "badge %s: %v\n", name, err)
	return nil, false
}

func runOBPush(ctx context.Context, e *env, tokenFile string, files []string) int {
	conn, ok := connectionFor(e, "ob push", tokenFile)
	if !ok {
		return exitUsage
	}
	creds, err := readCredentialFiles(e, files)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge ob push: %v\n", err)
		return exitUsage
	}
	api := &obapi.APIClient{HTTP: conn.client(ctx), APIURL: conn.Service.APIURL}
	status := exitOK
	for i, c := range creds {
		if bake.IsImage(c) {
			b, err := bake.Unbake(c)
			if err != nil {
				fmt.Fprintf(e.stderr, "badge ob push: %s: %v\n", files[i], err)
				status = exitRejected
				continue
			}
			c = b.Credential
		}
		created, err := api.Upsert(ctx, c)
		switch {
		case err != nil && strings.Contains(err.Error(), "obapi: "):
			fmt.Fprintf(e.stderr, "badge ob push: %s: refused: %v\n", files[i], err)
			status = exitRejected
		case err != nil:
			fmt.Fprintf(e.stderr, "badge ob push: %s: %v\n", files[i], err)
			return exitUsage
		case created:
			fmt.Fprintf(e.stdout, "%s: created\n", files[i])
		default:
			fmt.Fprintf(e.stdout, "%s: updated\n", files[i])
		}
	}
	return status
}

func runOBPull(ctx context.Context, e *env, tokenFile, dir string) int {
	conn, ok := connectionFor(e, "ob pull", tokenFile)
	if !ok {
		return exitUsage
	}
	api := &obapi.APIClient{HTTP: conn.client(ctx), APIURL: conn.Service.APIURL}
	js, jws, err := api.Credentials(ctx, 100)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge ob pull: %v\n", err)
		return exitUsage
	}
	out := e.path(dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "badge ob pull: %v\n", err)
		return exitUsage
	}
	n := 0
	write := func(ext string, b []byte) error {
		n++
		return os.WriteFile(filepath.Join(out, fmt.Sprintf("%d.%s", n, ext)), append(b, '\n'), 0o644)
	}
	for _, c := range js {
		if err := write("json", c); err != nil {
			fmt.Fprintf(e.stderr, "badge ob pull: %v\n", err)
			return exitUsage
		}
	}
	for _, c := range jws {
		if err := write("jws", []byte(c)); err != nil {
			fmt.Fprintf(e.stderr, "badge ob pull: %v\n", err)
			return exitUsage
		}
	}
	fmt.Fprintf(e.stdout, "%d credentials fetched into %s\n", n, dir)
	return exitOK
}

func runServeUsersAdd(ctx context.Context, e *env, dbSpec, username string) int {
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(e.stderr, "badge serve users add: reading the password: %v\n", err)
		return exitUsage
	}
	password := strings.TrimRight(line, "\r\n")
	store, db, closeDB, err := openDBConn(ctx, dbPath(e, dbSpec))
	if err != nil {
		fmt.Fprintf(e.stderr, "badge serve users add: %v\n", err)
		return exitUsage
	}
	defer closeDB()
	obs, err := obapi.OpenStore(ctx, obapi.StoreConfig{DB: db, Dialect: store.Dialect()})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge serve users add: %v\n", err)
		return exitUsage
	}
	a, err := obs.AddAccount(ctx, username, password, 0)
	switch {
	case errors.Is(err, obapi.ErrConflict):
		fmt.Fprintf(e.stderr, "badge serve users add: %v\n", err)
		return exitRejected
	case err != nil:
		fmt.Fprintf(e.stderr, "badge serve users add: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "added %s (%s)\n", a.Username, a.ID)
	return exitOK
}
