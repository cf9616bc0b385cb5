package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/vcapi"
)

// lockedBuffer collects the server's standard error while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func writeKey(t *testing.T, dir, name string) *keys.Key {
	t.Helper()
	k, err := keys.Generate("ed25519", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := k.MarshalJWK()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

var listeningRE = regexp.MustCompile(`listening on (https?://\S+)`)

// withNoAuth adds --insecure-no-auth to the arguments of a test server
// that issues without tokens: those that give --auth-tokens test tokens.
func withNoAuth(args []string) []string {
	if slices.Contains(args, "--auth-tokens") {
		return args
	}
	return append([]string{"--insecure-no-auth"}, args...)
}

// startServe runs "badge serve args…" in-process and returns its URL, its
// standard error and a function that stops it (as SIGINT would) and returns
// its exit code.
func startServe(t *testing.T, dir string, args ...string) (string, *lockedBuffer, func() int) {
	t.Helper()
	return startServeExact(t, dir, withNoAuth(args)...)
}

// startServeExact is startServe with exactly the arguments given.
func startServeExact(t *testing.T, dir string, args ...string) (string, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &lockedBuffer{}
	e := &env{args: append([]string{"serve"}, args...), stdin: strings.NewReader(""), stdout: &lockedBuffer{}, stderr: stderr, dir: dir}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(stderr.String()); m != nil {
			stop := func() int {
				cancel()
				select {
				case code := <-done:
					return code
				case <-time.After(15 * time.Second):
					t.Fatal("badge serve did not stop")
					return -1
				}
			}
			t.Cleanup(func() { cancel() })
			return m[1], stderr, stop
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("badge serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("badge serve did not start:\n%s", stderr.String())
		}
	}
}

func postJSON(t *testing.T, c *http.Client, url string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func credentialFor(issuer, id string) map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                id,
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"credentialSubject": map[string]any{"id": "did:example:alice"},
	}
}

func TestServeKeyIssueVerifyRevoke(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	url, stderr, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--status-dir", "status")
	c := http.DefaultClient
	code, out := postJSON(t, c, url+"/credentials/issue", map[string]any{
		"credential": credentialFor(k.DID, "urn:uuid:serve-1"),
		"options":    map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}},
	})
	if code != 201 {
		t.Fatalf("issue: %d %v", code, out)
	}
	vc := out["verifiableCredential"]
	if code, out := postJSON(t, c, url+"/credentials/verify", map[string]any{"verifiableCredential": vc}); code != 200 || out["verified"] != true {
		t.Fatalf("verify: %d %v", code, out)
	}
	if code, out := postJSON(t, c, url+"/credentials/status", map[string]any{
		"credentialId": "urn:uuid:serve-1", "credentialStatus": []any{map[string]any{"type": "revocation", "status": true}},
	}); code != 200 {
		t.Fatalf("revoke: %d %v", code, out)
	}
	if code, out := postJSON(t, c, url+"/credentials/verify", map[string]any{"verifiableCredential": vc}); code != 400 || out["verified"] != false {
		t.Fatalf("verify revoked: %d %v", code, out)
	}
	code, out = postJSON(t, c, url+"/credentials/issue", map[string]any{
		"credential": credentialFor(k.DID, "urn:uuid:serve-2"),
		"options":    map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}},
	})
	if code != 201 {
		t.Fatalf("issue: %d %v", code, out)
	}
	second := out["verifiableCredential"]
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	log := stderr.String()
	for _, want := range []string{"issuer " + k.DID, "/status/default-revocation", "path=/credentials/issue", "status=201", "shutting down"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}

	// After a restart on the same status directory, the lists and the
	// record of which entries each credential got are still there: the
	// credential issued before can be suspended now. (The base URL is
	// pinned so that the lists keep their URLs across ports.)
	url2, stderr2, stop2 := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--status-dir", "status", "--base-url", baseURLOf(second))
	if code, out := postJSON(t, c, url2+"/credentials/status", map[string]any{
		"credentialId": "urn:uuid:serve-2", "credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
	}); code != 200 {
		t.Fatalf("suspend after restart: %d %v\n%s", code, out, stderr2)
	}
	if code, out := postJSON(t, c, url2+"/credentials/status", map[string]any{
		"credentialId": "urn:uuid:serve-1", "credentialStatus": map[string]any{"type": "revocation", "status": false},
	}); code != 409 {
		t.Fatalf("un-revoke after restart: %d %v", code, out)
	}
	if code := stop2(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

// baseURLOf returns the origin of the status list of a credential.
func baseURLOf(vc any) string {
	cs, _ := vc.(map[string]any)["credentialStatus"].(map[string]any)
	u, _ := cs["statusListCredential"].(string)
	if i := strings.Index(u, "/status/"); i > 0 {
		return u[:i]
	}
	return u
}

func TestServeConfigSeveralIssuers(t *testing.T) {
	dir := t.TempDir()
	a := writeKey(t, dir, "a.jwk")
	b := writeKey(t, dir, "b.jwk")
	os.WriteFile(filepath.Join(dir, "examples-v2.jsonld"), []byte(`{"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}`), 0o644)
	cfg := `{
  "issuers": [
    {"name": "rdfc", "key": "a.jwk"},
    {"name": "jcs", "key": "b.jwk", "suite": "eddsa-jcs-2022", "statusPurposes": ["suspension"]}
  ],
  "statusDir": "lists",
  "contexts": {"https://www.w3.org/ns/credentials/examples/v2": "examples-v2.jsonld"}
}`
	os.WriteFile(filepath.Join(dir, "serve.json"), []byte(cfg), 0o644)
	url, stderr, stop := startServe(t, dir, "--config", "serve.json", "--addr", "127.0.0.1:0")
	c := http.DefaultClient
	cred := credentialFor(a.DID, "urn:uuid:a")
	cred["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"}
	cred["credentialSubject"] = map[string]any{"id": "did:example:alice", "alumniOf": "Example University"}
	code, out := postJSON(t, c, url+"/issuers/rdfc/credentials/issue", map[string]any{"credential": cred})
	if code != 201 {
		t.Fatalf("rdfc issue: %d %v", code, out)
	}
	code, out2 := postJSON(t, c, url+"/issuers/jcs/credentials/issue", map[string]any{"credential": credentialFor(b.DID, "urn:uuid:b")})
	if code != 201 {
		t.Fatalf("jcs issue: %d %v", code, out2)
	}
	vb := out2["verifiableCredential"].(map[string]any)
	if vb["proof"].(map[string]any)["cryptosuite"] != "eddsa-jcs-2022" || vb["credentialStatus"] == nil {
		t.Errorf("jcs issuer: %v", vb)
	}
	for _, vc := range []any{out["verifiableCredential"], vb} {
		if code, res := postJSON(t, c, url+"/credentials/verify", map[string]any{"verifiableCredential": vc}); code != 200 {
			t.Fatalf("verify: %d %v", code, res)
		}
	}
	// There is no default issuer without --key.
	if code, _ := postJSON(t, c, url+"/credentials/issue", map[string]any{"credential": cred}); code == 201 {
		t.Error("/credentials/issue issued without a --key issuer")
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
}

func TestServeExamplesContext(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	cred := credentialFor(k.DID, "urn:uuid:examples")
	cred["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"}
	cred["type"] = []any{"VerifiableCredential", "ExampleDegreeCredential"}
	url, _, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0")
	if code, out := postJSON(t, http.DefaultClient, url+"/credentials/issue", map[string]any{"credential": cred}); code == 201 {
		t.Errorf("examples context accepted without --examples-context: %v", out)
	}
	stop()
	url, _, stop = startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--examples-context")
	defer stop()
	if code, out := postJSON(t, http.DefaultClient, url+"/credentials/issue", map[string]any{"credential": cred}); code != 201 {
		t.Errorf("with --examples-context: %d %v", code, out)
	}
}

func TestServeSelfSignedTLS(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	url, stderr, stop := startServe(t, dir, "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--tls-self-signed", "--tls-cert-out", "cert.pem")
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %s", url)
	}
	pemBytes, err := os.ReadFile(filepath.Join(dir, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("cert.pem holds no certificate")
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	// The certificate is for localhost as well as 127.0.0.1.
	for _, u := range []string{url, strings.Replace(url, "127.0.0.1", "localhost", 1)} {
		code, out := postJSON(t, c, u+"/credentials/issue", map[string]any{"credential": credentialFor(k.DID, "urn:uuid:tls")})
		if code != 201 {
			t.Fatalf("%s: issue over TLS: %d %v", u, code, out)
		}
	}
	if !strings.Contains(stderr.String(), "self-signed certificate for localhost, SHA-256 ") {
		t.Errorf("no fingerprint:\n%s", stderr)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

func TestServeUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, "issuer.jwk")
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"issuers": [{"name": "a", "key": "issuer.jwk", "sute": "x"}]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "noname.json"), []byte(`{"issuers": [{"key": "issuer.jwk"}]}`), 0o644)
	for name, args := range map[string][]string{
		"nothing":             {},
		"argument":            {"--key", "issuer.jwk", "extra"},
		"missing key":         {"--key", "nope.jwk"},
		"cert without key":    {"--key", "issuer.jwk", "--tls-cert", "c.pem"},
		"both tls":            {"--key", "issuer.jwk", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-self-signed"},
		"cert-out alone":      {"--key", "issuer.jwk", "--tls-cert-out", "c.pem"},
		"bad suite":           {"--key", "issuer.jwk", "--suite", "ecdsa-rdfc-2019", "--addr", "127.0.0.1:0"},
		"unknown config key":  {"--config", "bad.json"},
		"issuer without name": {"--config", "noname.json"},
		"bad context":         {"--key", "issuer.jwk", "--context", "nofile"},
		"bad addr":            {"--key", "issuer.jwk", "--addr", "256.0.0.1:99999"},
		"zero max body":       {"--key", "issuer.jwk", "--max-body", "0"},
	} {
		var stderr bytes.Buffer
		e := &env{args: append([]string{"serve"}, args...), stdout: &bytes.Buffer{}, stderr: &stderr, dir: dir}
		if code := run(context.Background(), e); code != exitUsage {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, exitUsage, stderr.String())
		}
	}
}

func TestFileStatusIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), statusIndexFile)
	x, err := openStatusIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rec := vcapi.StatusRecord{Issuer: "a", CredentialID: "urn:uuid:1", Entries: []vcapi.StatusRecordEntry{{List: "https://x.example/status/a-revocation", Index: 7}}}
	if err := x.Put(ctx, rec); err != nil {
		t.Fatal(err)
	}
	x.Close()
	// A write cut short by a crash leaves a partial last line: skipped.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"issuer": "a", "credentialId": "urn:uu`)
	f.Close()
	x, err = openStatusIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.Get(ctx, "a", "urn:uuid:1")
	if err != nil || got == nil || got.Entries[0].Index != 7 {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if got, _ := x.Get(ctx, "b", "urn:uuid:1"); got != nil {
		t.Errorf("another issuer's record: %+v", got)
	}
	// A record written after the partial line is read back.
	rec.CredentialID = "urn:uuid:2"
	if err := x.Put(ctx, rec); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if x, err = openStatusIndex(path); err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, _ := x.Get(ctx, "a", "urn:uuid:2"); got == nil {
		t.Error("the record after a partial line was lost")
	}
}
