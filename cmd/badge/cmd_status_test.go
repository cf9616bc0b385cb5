package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

func runStatusCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{args: args, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, dir: dir}
	return run(context.Background(), e), stdout.String(), stderr.String()
}

// verifyDIDKeyList verifies a list credential's proof with its did:key
// verification method, which must belong to the list's issuer.
func verifyDIDKeyList(ctx context.Context, data []byte) error {
	v, err := strictjson.Decode(data, strictjson.Options{})
	if err != nil {
		return err
	}
	doc := v.(map[string]any)
	iss, _ := doc["issuer"].(string)
	dv, err := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
	if err != nil {
		return err
	}
	res, err := dv.Verify(ctx, data, func(ctx context.Context, vm, purpose string) (crypto.PublicKey, error) {
		if ctrl, _, _ := strings.Cut(vm, "#"); ctrl != iss {
			return nil, errors.New("key of another controller")
		}
		m, _, err := did.ResolveVerificationMethod(ctx, nil, vm, did.AssertionMethod)
		if err != nil {
			return nil, err
		}
		return m.PublicKey()
	}, dataintegrity.VerifyOptions{})
	if err != nil {
		return err
	}
	return res.Err()
}

// The lists the CLI signs verify, and a checker reads the revocations and
// suspensions the CLI makes.
func TestStatusCLIRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const rev, sus = "https://issuer.example/status/rev", "https://issuer.example/status/sus"
	if code, _, stderr := runStatusCLI(t, dir, "keygen", "-o", "key.json"); code != exitOK {
		t.Fatal(stderr)
	}
	for _, c := range [][]string{
		{"status", "create", "--store", "lists", "--id", rev, "--key", "key.json", "-o", "rev.json", "--ttl", "10m"},
		{"status", "create", "--store", "lists", "--id", sus, "--key", "key.json", "-o", "sus.json", "--purpose", "suspension"},
	} {
		if code, _, stderr := runStatusCLI(t, dir, c...); code != exitOK {
			t.Fatalf("%v: %d %s", c, code, stderr)
		}
	}
	var entries []any
	for _, id := range []string{rev, sus} {
		code, stdout, stderr := runStatusCLI(t, dir, "status", "allocate", "--store", "lists", "--id", id)
		if code != exitOK {
			t.Fatal(stderr)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, m)
	}
	keyData, _ := os.ReadFile(filepath.Join(dir, "key.json"))
	var jwk struct{ Kid string }
	json.Unmarshal(keyData, &jwk)
	issuerDID, _, _ := strings.Cut(jwk.Kid, "#")
	credJSON, _ := json.Marshal(map[string]any{"id": "urn:uuid:1", "issuer": issuerDID, "credentialStatus": entries})
	os.WriteFile(filepath.Join(dir, "cred.json"), credJSON, 0o644)

	check := func() []status.Status {
		t.Helper()
		docs := map[string][]byte{}
		for id, f := range map[string]string{rev: "rev.json", sus: "sus.json"} {
			docs[id], _ = os.ReadFile(filepath.Join(dir, f))
		}
		c, err := status.NewChecker(status.CheckerConfig{Fetcher: status.NewStaticFetcher(docs), VerifyList: verifyDIDKeyList})
		if err != nil {
			t.Fatal(err)
		}
		var out []status.Status
		for _, r := range c.Check(ctx, credJSON) {
			if r.Status == status.StatusError {
				t.Fatalf("check: %v", r.Err)
			}
			out = append(out, r.Status)
		}
		return out
	}
	expect := func(step string, want ...status.Status) {
		t.Helper()
		got := check()
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("%s: %v, want %v", step, got, want)
		}
	}
	expect("created", status.StatusOK, status.StatusOK)
	steps := []struct {
		args []string
		want [2]status.Status
	}{
		{[]string{"suspend", "--credential", "cred.json", "-o", "sus.json"}, [2]status.Status{status.StatusOK, status.StatusSuspended}},
		{[]string{"reinstate", "--credential", "cred.json", "-o", "sus.json"}, [2]status.Status{status.StatusOK, status.StatusOK}},
		{[]string{"revoke", "--credential", "cred.json", "-o", "rev.json"}, [2]status.Status{status.StatusRevoked, status.StatusOK}},
	}
	for _, s := range steps {
		args := append([]string{"status", s.args[0], "--store", "lists", "--key", "key.json"}, s.args[1:]...)
		if code, _, stderr := runStatusCLI(t, dir, args...); code != exitOK {
			t.Fatalf("%v: %d %s", args, code, stderr)
		}
		expect(s.args[0], s.want[0], s.want[1])
	}
	// show reports it.
	code, stdout, _ := runStatusCLI(t, dir, "status", "show", "--store", "lists", "--credential", "cred.json", "--json")
	var rep showReport
	if code != exitOK || json.Unmarshal([]byte(stdout), &rep) != nil || len(rep.Statuses) != 2 ||
		rep.Statuses[0].State != "revoked" || rep.Statuses[1].State != "ok" {
		t.Fatalf("show: %d %s", code, stdout)
	}
}

func TestStatusCLIExitCodes(t *testing.T) {
	dir := t.TempDir()
	const id = "https://issuer.example/status/1"
	runStatusCLI(t, dir, "keygen", "-o", "key.json")
	if code, _, stderr := runStatusCLI(t, dir, "status", "create", "--store", "s", "--id", id, "--key", "key.json"); code != exitOK {
		t.Fatal(stderr)
	}
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"status", "create", "--store", "s", "--id", id, "--key", "key.json"}, exitRejected, "already exists"},
		{[]string{"status", "create", "--store", "s", "--id", "http://x.example/", "--key", "key.json"}, exitUsage, "https URL"},
		{[]string{"status", "create", "--store", "s", "--id", id}, exitUsage, "--key is required"},
		{[]string{"status", "create", "--store", "s", "--id", id + "x", "--key", "key.json", "--entries", "1000"}, exitUsage, "at least 131072"},
		{[]string{"status", "create", "--store", "s", "--id", id + "x", "--key", "key.json", "--purpose", "message"}, exitUsage, "--purpose"},
		{[]string{"status", "create", "--store", "s", "--id", id + "y", "--key", "key.json", "--issuer", "did:example:other"}, exitRejected, "issuer"},
		{[]string{"status", "create", "--id", id}, exitUsage, "--store is required"},
		{[]string{"status", "allocate", "--store", "s", "--id", "https://nowhere.example/"}, exitRejected, "not found"},
		{[]string{"status", "revoke", "--store", "s", "--id", id, "--index", "5"}, exitRejected, "not allocated"},
		{[]string{"status", "revoke", "--store", "s", "--id", id, "--index", "-5"}, exitUsage, "--index"},
		{[]string{"status", "revoke", "--store", "s", "--id", id}, exitUsage, "--index"},
		{[]string{"status", "reinstate", "--store", "s", "--id", id, "--index", "5"}, exitRejected, "not reversible"},
		{[]string{"status", "suspend", "--store", "s", "--id", id, "--index", "5"}, exitRejected, "wrong status purpose"},
		{[]string{"status", "revoke", "--store", "s", "--id", id, "--index", "5", "-o", "x.json"}, exitUsage, "-o needs --key"},
		{[]string{"status", "show", "--store", "s", "--id", "https://nowhere.example/"}, exitRejected, "not found"},
		{[]string{"status", "publish", "--store", "s", "--id", id}, exitUsage, "--key"},
		{[]string{"status", "show", "--store", "s", "extra"}, exitUsage, "unexpected argument"},
	}
	for _, c := range cases {
		code, _, stderr := runStatusCLI(t, dir, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}

// The wiring the verify command uses: verifier.NewStatusChecker as
// verifier.Config.Status, whose lists are verified by a second verifier
// without a status checker (so that a list's own status cannot recurse).
func TestStatusWithVerifier(t *testing.T) {
	ctx := context.Background()
	key, err := keys.Generate("ed25519", nil)
	if err != nil {
		t.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{Signer: key.Signer, VerificationMethod: key.VerificationMethod, Controller: key.DID})
	if err != nil {
		t.Fatal(err)
	}
	const listID = "https://issuer.example/status/1"
	lists, _ := status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(), Signer: is})
	if err := lists.Create(ctx, status.ListConfig{ID: listID, Issuer: key.DID}); err != nil {
		t.Fatal(err)
	}
	entry, _ := lists.Allocate(ctx, listID)
	badge := templateBadge(t, key.DID, "did:example:learner", "urn:uuid:3b1f8f1e-9c59-4d3a-8f0e-2f6c4f7f2a10")
	badge["credentialStatus"] = entry
	unsigned, _ := json.Marshal(badge)
	signed, err := is.IssueJSON(ctx, unsigned)
	if err != nil {
		t.Fatal(err)
	}

	verifyWith := func(fetcher status.Fetcher) *verifier.Result {
		t.Helper()
		cfg := verifier.Config{Suites: verifySuites}
		checker, err := verifier.NewStatusChecker(cfg, fetcher)
		require.NoError(t, err)
		cfg.Status = checker
		v, err := verifier.New(cfg)
		require.NoError(t, err)
		r, err := v.Verify(ctx, signed)
		require.NoError(t, err)
		return r
	}
	published := func() status.Fetcher {
		list, err := lists.Publish(ctx, listID)
		if err != nil {
			t.Fatal(err)
		}
		return status.NewStaticFetcher(map[string][]byte{listID: list})
	}
	if r := verifyWith(published()); !r.Verified {
		t.Fatalf("not revoked: %s", r.Summary())
	}
	// No fetcher: the status is unknown and the badge does not verify.
	if r := verifyWith(nil); r.Verified || !strings.Contains(r.Summary(), "status: unknown") {
		t.Fatalf("unchecked status verified: %s", r.Summary())
	}
	// Unreachable list: fail closed.
	if r := verifyWith(status.NewStaticFetcher(nil)); r.Verified || !strings.Contains(r.Summary(), "could not be retrieved") {
		t.Fatalf("unreachable list verified: %s", r.Summary())
	}
	if err := lists.Revoke(ctx, listID, entry.Index); err != nil {
		t.Fatal(err)
	}
	r := verifyWith(published())
	if r.Verified || !strings.Contains(r.Summary(), "revoked") {
		t.Fatalf("revoked badge: %s", r.Summary())
	}
}

// The verify command's status flags, through addStatusFlags and
// newVerifyStatus: --status-doc, --network-status and its aliases (an
// httptest server), --skip-status, and neither.
func TestVerifyStatusFlags(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key, _ := keys.Generate("ed25519", nil)
	is, _ := issuer.New(issuer.Config{Signer: key.Signer, VerificationMethod: key.VerificationMethod, Controller: key.DID})
	var lists *status.Lists
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := lists.Publish(r.Context(), "https://"+r.Host+r.URL.Path)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	listID := srv.URL + "/status/1"
	lists, _ = status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(), Signer: is})
	if err := lists.Create(ctx, status.ListConfig{ID: listID, Issuer: key.DID}); err != nil {
		t.Fatal(err)
	}
	entry, _ := lists.Allocate(ctx, listID)
	lists.Revoke(ctx, listID, entry.Index)
	list, _ := lists.Publish(ctx, listID)
	os.WriteFile(filepath.Join(dir, "list.json"), list, 0o644)
	doc := templateBadge(t, key.DID, "did:example:learner", "urn:uuid:3b1f8f1e-9c59-4d3a-8f0e-2f6c4f7f2a11")
	doc["credentialStatus"] = entry
	badge, _ := json.Marshal(doc)
	signed, err := is.IssueJSON(ctx, badge)
	if err != nil {
		t.Fatal(err)
	}
	cfg := verifier.Config{Suites: verifySuites}
	e := &env{dir: dir, stdin: strings.NewReader("")}
	cases := []struct {
		args     []string
		verified bool
		summary  string
	}{
		{[]string{"--status-doc", listID + "=list.json"}, false, "revoked"},
		{[]string{"--status-network"}, false, "revoked"},
		{[]string{"--network-status"}, false, "revoked"},
		{[]string{"--network"}, false, "revoked"},
		{[]string{"--network-keys"}, false, "status: unknown"},
		{nil, false, "status: unknown"},
		{[]string{"--skip-status"}, true, ""},
	}
	for _, c := range cases {
		fs := pflag.NewFlagSet("verify", pflag.ContinueOnError)
		opts := addVerifyInputs(fs).status
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		opts.http = status.HTTPConfig{Client: srv.Client(), InsecureAllowPrivateNetworks: true}
		st, err := newVerifyStatus(e, opts, cfg)
		if err != nil {
			t.Fatal(err)
		}
		v, err := verifier.New(verifier.Config{Suites: verifySuites, Status: st, SkipStatus: opts.skip})
		if err != nil {
			t.Fatal(err)
		}
		r, err := v.Verify(ctx, signed)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verified != c.verified || !strings.Contains(r.Summary(), c.summary) {
			t.Errorf("%v: %s", c.args, r.Summary())
		}
	}
	// Usage errors.
	fs := pflag.NewFlagSet("verify", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := addVerifyInputs(fs).status
	if err := fs.Parse([]string{"--status-doc", "nofile"}); err == nil {
		t.Error("--status-doc without = accepted")
	}
	for _, flag := range []string{"--status-network", "--network-status", "--network"} {
		opts.net.all, opts.net.status = false, false
		fs.Parse([]string{"--skip-status", flag})
		if _, err := newVerifyStatus(e, opts, cfg); !errors.Is(err, errUsage) {
			t.Errorf("--skip-status with %s: %v", flag, err)
		}
	}
	opts = &statusVerifyOptions{docs: statusDocFlags{listID + "=missing.json"}}
	if _, err := newVerifyStatus(e, opts, cfg); err == nil {
		t.Error("missing --status-doc file accepted")
	}
}
