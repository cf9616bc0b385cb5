//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcapi"
)

// buildBadge builds the badge command into a temporary directory.
func buildBadge(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "badge")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// serveProc is a badge serve process.
type serveProc struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
}

var listenRE = regexp.MustCompile(`listening on (http://\S+)`)

// startServeProc runs bin serve args… on 127.0.0.1 and waits until it
// listens.
func startServeProc(t *testing.T, bin, dir string, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{stderr: &lockedBuffer{}}
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, withNoAuth(args)...)...)
	p.cmd.Dir = dir
	p.cmd.Stderr = p.stderr
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenRE.FindStringSubmatch(p.stderr.String()); m != nil {
			p.url = m[1]
			return p
		}
		if p.cmd.ProcessState != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("badge serve did not start:\n%s", p.stderr)
	return nil
}

// client issues and revokes through the servers and remembers what they
// acknowledged.
type client struct {
	hc      *http.Client
	mu      sync.Mutex
	issued  map[string]uint64 // credential id → revocation index, for every 201
	revoked map[string]bool   // credential ids whose revocation was acknowledged (200)
}

func newClient() *client {
	return &client{hc: &http.Client{Timeout: 30 * time.Second}, issued: map[string]uint64{}, revoked: map[string]bool{}}
}

func (c *client) post(ctx context.Context, url string, body any) (int, map[string]any, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out)
	return resp.StatusCode, out, nil
}

// issue issues credential id at server url and records its index.
func (c *client) issue(ctx context.Context, url, issuerDID, id string) (bool, error) {
	cred := credentialFor(issuerDID, id)
	cred["credentialSubject"] = map[string]any{"id": "did:example:learner-" + id[len(id)-1:]}
	code, out, err := c.post(ctx, url+"/credentials/issue", map[string]any{"credential": cred,
		"options": map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
	if err != nil || code != http.StatusCreated {
		if err == nil && code != http.StatusServiceUnavailable {
			err = fmt.Errorf("issue %s: %d %v", id, code, out)
		}
		return false, err
	}
	vc, _ := out["verifiableCredential"].(map[string]any)
	cs, _ := vc["credentialStatus"].(map[string]any)
	var idx uint64
	fmt.Sscan(fmt.Sprint(cs["statusListIndex"]), &idx)
	c.mu.Lock()
	c.issued[id] = idx
	c.mu.Unlock()
	return true, nil
}

func (c *client) revoke(ctx context.Context, url, id string) (bool, error) {
	code, out, err := c.post(ctx, url+"/credentials/status", map[string]any{"credentialId": id,
		"credentialStatus": map[string]any{"type": "revocation", "status": true}, "reason": "test"})
	if err != nil || code != http.StatusOK {
		if err == nil && code != http.StatusServiceUnavailable {
			err = fmt.Errorf("revoke %s: %d %v", id, code, out)
		}
		return false, err
	}
	c.mu.Lock()
	c.revoked[id] = true
	c.mu.Unlock()
	return true, nil
}

// checkState checks the database against what the clients were told:
// every credential acknowledged has its record with the index it was
// given, no index is held by two records, and every acknowledged
// revocation is set.
func checkState(t *testing.T, store *sqlstore.Store, c *client) {
	t.Helper()
	ctx := context.Background()
	recs := map[string]sqlstore.Record{}
	byIndex := map[string]string{}
	q := sqlstore.Query{Limit: sqlstore.MaxLimit}
	for {
		page, err := store.Records(ctx, q)
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			recs[r.CredentialID] = r
			for _, e := range r.Entries {
				k := fmt.Sprintf("%s#%d", e.List, e.Index)
				require.Empty(t, byIndex[k], "index %s held by %s and %s", k, byIndex[k], r.CredentialID)
				byIndex[k] = r.CredentialID
			}
		}
		q.After = page[len(page)-1].Seq
	}
	for id, idx := range c.issued {
		r, ok := recs[id]
		require.True(t, ok, "credential %s was issued but has no record", id)
		require.Len(t, r.Entries, 1)
		assert.Equal(t, idx, r.Entries[0].Index, id)
	}
	for id := range c.revoked {
		r := recs[id]
		require.Len(t, r.Entries, 1)
		assert.Equal(t, uint64(1), r.Entries[0].Value, "the revocation of %s was acknowledged but is not kept", id)
	}
}

func openTestStore(t *testing.T, spec string) *sqlstore.Store {
	t.Helper()
	store, closeDB, err := openDB(context.Background(), spec)
	require.NoError(t, err)
	t.Cleanup(closeDB)
	return store
}

// TestServeDBSurvivesKill: a real badge serve process on SQLite, killed
// (SIGKILL) while eight clients issue and revoke; after a restart on the
// same file nothing acknowledged is missing, every acknowledged
// revocation is kept, and the indexes handed out afterwards are new ones.
func TestServeDBSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	survivesKill(t, "sqlite:"+filepath.Join(t.TempDir(), "badges.db"))
}

// TestServeDBSurvivesKillPostgres: the same on PostgreSQL, the server
// killed with its connections (and transactions) open.
func TestServeDBSurvivesKillPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	survivesKill(t, storetest.PostgresSchema(t))
}

// survivesKill kills a badge serve process on database db in the middle
// of a batch of issuances and revocations, restarts it and checks that
// everything acknowledged is kept and no index is handed out twice.
func survivesKill(t *testing.T, db string) {
	bin := buildBadge(t)
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	args := []string{"--key", "issuer.jwk", "--db", db, "--base-url", "http://issuer.test"}
	p := startServeProc(t, bin, dir, args...)
	c := newClient()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var killed sync.Once
	kill := func() { killed.Do(func() { p.cmd.Process.Signal(syscall.SIGKILL) }) }
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				id := fmt.Sprintf("urn:example:kill:%d:%d", w, i)
				ok, err := c.issue(ctx, p.url, k.DID, id)
				if !ok {
					_ = err // the server is gone
					return
				}
				if i%3 == 0 {
					if ok, _ := c.revoke(ctx, p.url, id); !ok {
						return
					}
				}
				c.mu.Lock()
				n := len(c.issued)
				c.mu.Unlock()
				if n >= 120 {
					kill() // mid-batch: the other clients are in flight
				}
			}
		})
	}
	wg.Wait()
	kill()
	p.cmd.Wait()
	require.GreaterOrEqual(t, len(c.issued), 120)

	// Restart on the same file: everything acknowledged is there.
	p2 := startServeProc(t, bin, dir, args...)
	store := openTestStore(t, db)
	checkState(t, store, c)
	before := map[uint64]bool{}
	for _, idx := range c.issued {
		before[idx] = true
	}
	c2 := newClient()
	for i := range 20 {
		ok, err := c2.issue(ctx, p2.url, k.DID, fmt.Sprintf("urn:example:after:%d", i))
		require.True(t, ok, "%v\n%s", err, p2.stderr)
	}
	for id, idx := range c2.issued {
		assert.False(t, before[idx], "%s got index %d, handed out before the kill", id, idx)
	}
	c.issued = mergeMaps(c.issued, c2.issued)
	checkState(t, store, c)
}

func mergeMaps(a, b map[string]uint64) map[string]uint64 {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// concurrent runs n badge serve processes on one database, eight clients
// each, every client issuing at one server and revoking at another.
func concurrent(t *testing.T, db string, n int) {
	bin := buildBadge(t)
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	args := []string{"--key", "issuer.jwk", "--db", db, "--base-url", "http://issuer.test"}
	var procs []*serveProc
	for range n {
		procs = append(procs, startServeProc(t, bin, dir, args...))
	}
	c := newClient()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, n*8)
	for s := range n {
		for w := range 8 {
			wg.Go(func() {
				for i := range 6 {
					id := fmt.Sprintf("urn:example:conc:%d:%d:%d", s, w, i)
					if ok, err := c.issue(ctx, procs[s].url, k.DID, id); !ok {
						errs <- fmt.Errorf("%s: %v", id, err)
						return
					}
					if i%2 == 0 {
						if ok, err := c.revoke(ctx, procs[(s+1)%n].url, id); !ok {
							errs <- fmt.Errorf("revoke %s: %v", id, err)
							return
						}
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.Len(t, c.issued, n*8*6)
	seen := map[uint64]string{}
	for id, idx := range c.issued {
		require.Empty(t, seen[idx], "index %d given to %s and %s", idx, seen[idx], id)
		seen[idx] = id
	}
	checkState(t, openTestStore(t, db), c)
	// Every server publishes the revocations made through the others.
	for _, p := range procs {
		resp, err := http.Get(p.url + "/status/default-revocation")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
}

// TestServeDBConcurrentSQLite: two processes on one SQLite file.
func TestServeDBConcurrentSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	concurrent(t, "sqlite:"+filepath.Join(t.TempDir(), "shared.db"), 2)
}

// TestServeDBConcurrentPostgres: four servers on one PostgreSQL database.
func TestServeDBConcurrentPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	concurrent(t, storetest.PostgresSchema(t), 4)
}

// TestServeDBBadInput: a database that cannot be used stops badge serve at
// start with a clear message (exit 2), naming the database without its
// password.
func TestServeDBBadInput(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, "issuer.jwk")
	newer := filepath.Join(dir, "newer.db")
	{
		store := openTestStore(t, "sqlite:"+newer)
		_ = store
		db, err := sql.Open(sqlstore.DriverSQLite, sqlstore.SQLiteDSN(newer))
		require.NoError(t, err)
		_, err = db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)")
		require.NoError(t, err)
		db.Close()
	}
	junk := filepath.Join(dir, "junk.db")
	require.NoError(t, os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 500), 0o600))
	cases := []struct{ db, want string }{
		{"sqlite:" + newer, "schema version 99 (future)"},
		{"sqlite:" + junk, "database sqlite:" + junk},
		{"mysql://x", "give sqlite:PATH or postgres://"},
		{"postgres://badge:secret@/postgres?host=" + t.TempDir() + "&connect_timeout=2", "store unavailable: database: connecting"},
	}
	for _, tc := range cases {
		code, _, stderr := runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--db", tc.db)
		assert.Equal(t, exitUsage, code, tc.db)
		assert.Contains(t, stderr, tc.want, tc.db)
		assert.NotContains(t, stderr, "secret", "the password is not shown")
	}
	code, _, stderr := runBadge(t, dir, "", "serve", "--key", "issuer.jwk", "--db", "sqlite:x.db", "--status-dir", "s")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "exclude each other")
}

// TestServeDBStoreDown: when the database goes away under a running
// server, requests get a 503 problem that says nothing of the cause.
func TestServeDBStoreDown(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	path := filepath.Join(dir, "down.db")
	url, stderr, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--db", "sqlite:"+path)
	defer stop()
	c := newClient()
	ok, err := c.issue(context.Background(), url, k.DID, "urn:example:down:1")
	require.True(t, ok, "%v %s", err, stderr)
	// Replace the database file by a directory: every statement fails.
	require.NoError(t, os.Rename(path, path+".gone"))
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Rename(path+suffix, path+".gone"+suffix)
	}
	require.NoError(t, os.Mkdir(path, 0o700))
	code, out, err := c.post(context.Background(), url+"/credentials/issue", map[string]any{"credential": credentialFor(k.DID, "urn:example:down:2"),
		"options": map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
	require.NoError(t, err)
	if code != http.StatusCreated { // SQLite may keep the open file: then it still works
		assert.Equal(t, http.StatusServiceUnavailable, code, "%v", out)
		assert.NotContains(t, fmt.Sprint(out), path)
	}
}

// TestRecordsCommand: badge records lists and exports what badge serve
// --db recorded, and badge status --db works on the same database.
func TestRecordsCommand(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	db := "sqlite:" + filepath.Join(dir, "rec.db")
	url, stderr, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--db", db, "--base-url", "http://issuer.test")
	c := newClient()
	for i := range 3 {
		ok, err := c.issue(context.Background(), url, k.DID, fmt.Sprintf("urn:example:rec:%d", i))
		require.True(t, ok, "%v %s", err, stderr)
	}
	ok, err := c.revoke(context.Background(), url, "urn:example:rec:1")
	require.True(t, ok, "%v", err)

	// The status list: ETag, then 304.
	resp, err := http.Get(url + "/status/default-revocation")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	etag := resp.Header.Get("ETag")
	require.NotEmpty(t, etag)
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	req, _ := http.NewRequest(http.MethodGet, url+"/status/default-revocation", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	require.Equal(t, exitOK, stop())

	code, stdout, stderrS := runBadge(t, dir, "", "records", "--db", db)
	require.Equal(t, exitOK, code, stderrS)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	var r sqlstore.Record
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &r))
	assert.Equal(t, "urn:example:rec:1", r.CredentialID)
	assert.Equal(t, k.DID, r.Issuer)
	assert.Equal(t, "did:example:learner-1", r.SubjectID)
	require.Len(t, r.Entries, 1)
	assert.Equal(t, uint64(1), r.Entries[0].Value)

	code, stdout, _ = runBadge(t, dir, "", "records", "--db", db, "--format", "csv", "--subject", "did:example:learner-2")
	require.Equal(t, exitOK, code)
	sc := bufio.NewScanner(strings.NewReader(stdout))
	n := 0
	for sc.Scan() {
		n++
	}
	assert.Equal(t, 2, n, stdout)

	code, stdout, _ = runBadge(t, dir, "", "records", "--db", db, "--changes", "--list", "http://issuer.test/status/default-revocation")
	require.Equal(t, exitOK, code)
	var ch sqlstore.Change
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSpace(stdout)), &ch))
	assert.Equal(t, "test", ch.Reason)
	assert.Equal(t, "urn:example:rec:1", ch.CredentialID)
	assert.NotEmpty(t, ch.RequestID)

	code, stdout, _ = runBadge(t, dir, "", "status", "show", "--db", db, "--id", "http://issuer.test/status/default-revocation", "--json")
	require.Equal(t, exitOK, code)
	var show struct{ Allocated, Set int }
	require.NoError(t, json.Unmarshal([]byte(stdout), &show))
	assert.Equal(t, 3, show.Allocated)
	assert.Equal(t, 1, show.Set)

	code, _, stderrS = runBadge(t, dir, "", "records")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderrS, "--db is required")
	_ = status.ErrUnavailable
}

// getList fetches the status list at url with If-None-Match etag (if any)
// and returns the status, the ETag and the body.
func getList(t *testing.T, url, etag string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/status/default-revocation", nil)
	require.NoError(t, err)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("ETag"), body
}

// sharedPublication runs two badge serve processes on database db: they
// serve the same signed list, with the same ETag, signed once per change
// (status_publications), whichever server made the change or signed it.
func sharedPublication(t *testing.T, db string) {
	bin := buildBadge(t)
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	args := []string{"--key", "issuer.jwk", "--db", db, "--base-url", "http://issuer.test"}
	a, b := startServeProc(t, bin, dir, args...), startServeProc(t, bin, dir, args...)
	ctx := context.Background()
	c := newClient()
	for i := range 2 {
		ok, err := c.issue(ctx, a.url, k.DID, fmt.Sprintf("urn:example:pub:%d", i))
		require.True(t, ok, "%v\n%s", err, a.stderr)
	}
	ok, err := c.revoke(ctx, a.url, "urn:example:pub:0")
	require.True(t, ok, "%v", err)

	codeA, etagA, bodyA := getList(t, a.url, "")
	require.Equal(t, http.StatusOK, codeA, "%s", bodyA)
	codeB, etagB, bodyB := getList(t, b.url, "")
	require.Equal(t, http.StatusOK, codeB, "%s", bodyB)
	assert.Equal(t, etagA, etagB, "both servers give the same ETag")
	assert.Equal(t, string(bodyA), string(bodyB), "both servers serve the list server a signed")
	code, _, _ := getList(t, b.url, etagA)
	assert.Equal(t, http.StatusNotModified, code, "a client revalidating at the other server gets 304")

	// A change made through b: b signs it first this time, a serves b's.
	ok, err = c.revoke(ctx, b.url, "urn:example:pub:1")
	require.True(t, ok, "%v", err)
	code, etagB2, bodyB2 := getList(t, b.url, etagA)
	require.Equal(t, http.StatusOK, code, "the old ETag no longer matches")
	assert.NotEqual(t, etagA, etagB2)
	code, etagA2, bodyA2 := getList(t, a.url, "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, etagB2, etagA2)
	assert.Equal(t, string(bodyB2), string(bodyA2))
	code, _, _ = getList(t, a.url, etagB2)
	assert.Equal(t, http.StatusNotModified, code)

	// The table holds the one signature both serve.
	pub, err := openTestStore(t, db).Publication(ctx, "http://issuer.test/status/default-revocation")
	require.NoError(t, err)
	require.NotNil(t, pub)
	assert.Equal(t, string(bodyA2), string(pub.Credential))
}

// TestServeDBSharedPublication: two servers on one SQLite file.
func TestServeDBSharedPublication(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	sharedPublication(t, "sqlite:"+filepath.Join(t.TempDir(), "shared.db"))
}

// TestServeDBSharedPublicationPostgres: two servers on one PostgreSQL
// database.
func TestServeDBSharedPublicationPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs badge serve")
	}
	sharedPublication(t, storetest.PostgresSchema(t))
}

// TestServeDBFull: a database that fills up (SQLite's max_page_count,
// standing for a full disk) under badge serve's vcapi server and records:
// the request that does not fit gets a 503 problem that names nothing of
// the database, and nothing is half written: every credential
// acknowledged has its record, every acknowledged revocation is kept, the
// refused ones left no record, and the file passes integrity_check.
func TestServeDBFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "full.db")
	k := writeKey(t, t.TempDir(), "issuer.jwk")
	cfg := func(store *sqlstore.Store) vcapi.Config {
		return vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{{Signer: k.Signer, VerificationMethod: k.VerificationMethod, Controller: k.DID}},
			StatusStore: store, StatusIndex: &dbStatusIndex{store: store}, BaseURL: "http://issuer.test"}
	}
	// Create the schema and the lists, and see how big that is.
	var pages int
	{
		store := openTestStore(t, "sqlite:"+path)
		_, err := vcapi.New(ctx, cfg(store))
		require.NoError(t, err)
		db := storetest.OpenSQLite(t, path)
		require.NoError(t, db.QueryRow("PRAGMA page_count").Scan(&pages))
		db.Close()
	}
	// Reopen with a few pages of room left.
	db, err := sql.Open(sqlstore.DriverSQLite, sqlstore.SQLiteDSN(path)+fmt.Sprintf("&_pragma=max_page_count(%d)", pages+4))
	require.NoError(t, err)
	defer db.Close()
	store, err := sqlstore.Open(ctx, sqlstore.Config{DB: db, Dialect: sqlstore.SQLite})
	require.NoError(t, err)
	logs := &lockedBuffer{}
	fc := cfg(store)
	fc.Logger = slog.New(slog.NewTextHandler(logs, nil))
	s, err := vcapi.New(ctx, fc)
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()

	c := newClient()
	refused := []string{}
	for i := 0; len(refused) < 3 && i < 2000; i++ {
		id := fmt.Sprintf("urn:example:full:%d", i)
		cred := credentialFor(k.DID, id)
		cred["credentialSubject"] = map[string]any{"id": "did:example:learner-" + strings.Repeat("x", 200)}
		code, out, err := c.post(ctx, ts.URL+"/credentials/issue", map[string]any{"credential": cred,
			"options": map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
		require.NoError(t, err)
		switch code {
		case http.StatusCreated:
			vc, _ := out["verifiableCredential"].(map[string]any)
			cs, _ := vc["credentialStatus"].(map[string]any)
			var idx uint64
			fmt.Sscan(fmt.Sprint(cs["statusListIndex"]), &idx)
			c.issued[id] = idx
			if i%2 == 0 {
				if ok, err := c.revoke(ctx, ts.URL, id); !ok {
					require.NoError(t, err, "a revocation gets 200 or 503")
				}
			}
		case http.StatusServiceUnavailable:
			refused = append(refused, id)
			detail := fmt.Sprint(out)
			assert.Contains(t, detail, "try again later")
			for _, internal := range []string{path, "SQLITE", "full", "database", "disk"} {
				assert.NotContains(t, detail, internal)
			}
		default:
			t.Fatalf("issue %s: %d %v", id, code, out)
		}
	}
	require.Len(t, refused, 3, "the database never filled")
	t.Logf("%d issued, %d revoked, then %d refused", len(c.issued), len(c.revoked), len(refused))
	assert.Contains(t, logs.String(), "database or disk is full", "the cause goes to the log")
	require.NotEmpty(t, c.issued, "no room at all: give the test more pages")

	checkState(t, store, c)
	for _, id := range refused {
		recs, err := store.Records(ctx, sqlstore.Query{CredentialID: id})
		require.NoError(t, err)
		assert.Empty(t, recs, "a refused credential left a record")
	}
	var ok string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&ok))
	assert.Equal(t, "ok", ok)
}
