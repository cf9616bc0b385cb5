package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
)

// TestServeLenient: badge serve --lenient makes lenient verification the
// default, and options.lenient overrides the default either way.
func TestServeLenient(t *testing.T) {
	dir := t.TempDir()
	k := writeKey(t, dir, "issuer.jwk")
	badge := testkeys.SignAsIs(t, k, templateBadge(t, k.DID, "", "urn:uuid:7e0a3c44-1d55-4c1b-8d7e-3f2b9c6a5e01"))
	for _, tc := range []struct {
		flags   []string
		options map[string]any
		code    int
	}{
		{nil, nil, 400},
		{nil, map[string]any{"lenient": true}, 200},
		{[]string{"--lenient"}, nil, 200},
		{[]string{"--lenient"}, map[string]any{"lenient": false}, 400},
	} {
		url, _, stop := startServe(t, dir, append([]string{"--key", "issuer.jwk", "--addr", "127.0.0.1:0"}, tc.flags...)...)
		body := map[string]any{"verifiableCredential": badge}
		if tc.options != nil {
			body["options"] = tc.options
		}
		code, out := postJSON(t, http.DefaultClient, url+"/credentials/verify", body)
		if code != tc.code || out["authentic"] != true || out["conformant"] != false || out["verified"] != (tc.code == 200) {
			t.Errorf("%v, options %v: %d %v", tc.flags, tc.options, code, out)
		}
		if code := stop(); code != exitOK {
			t.Errorf("exit %d", code)
		}
	}
}

// TestServeStatusDoc: badge serve --status-doc serves another issuer's
// status list from a file, as badge verify --status-doc does.
func TestServeStatusDoc(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeKey(t, dir, "server.jwk")
	k, err := keys.Generate("ed25519", nil)
	if err != nil {
		t.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{Signer: k.Signer, VerificationMethod: k.VerificationMethod, Controller: k.DID})
	if err != nil {
		t.Fatal(err)
	}
	const listID = "https://status.example/lists/1"
	lists, err := status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(), Signer: is})
	if err != nil {
		t.Fatal(err)
	}
	if err := lists.Create(ctx, status.ListConfig{ID: listID, Issuer: k.DID}); err != nil {
		t.Fatal(err)
	}
	issue := func(revoke bool) map[string]any {
		entry, err := lists.Allocate(ctx, listID)
		if err != nil {
			t.Fatal(err)
		}
		if revoke {
			lists.Revoke(ctx, listID, entry.Index)
		}
		doc := templateBadge(t, k.DID, "did:example:learner", "urn:uuid:7e0a3c44-1d55-4c1b-8d7e-3f2b9c6a5e01")
		doc["credentialStatus"] = entry
		b, _ := json.Marshal(doc)
		signed, err := is.IssueJSON(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(signed, &m)
		return m
	}
	good, revoked := issue(false), issue(true)
	list, err := lists.Publish(ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "list.json"), list, 0o644)

	verify := func(url string, vc map[string]any) (int, string) {
		code, out := postJSON(t, http.DefaultClient, url+"/credentials/verify", map[string]any{"verifiableCredential": vc})
		b, _ := json.Marshal(out)
		return code, string(b)
	}
	url, _, stop := startServe(t, dir, "--key", "server.jwk", "--addr", "127.0.0.1:0", "--status-doc", listID+"=list.json")
	if code, out := verify(url, good); code != 200 {
		t.Errorf("good standing: %d %s", code, out)
	}
	if code, out := verify(url, revoked); code != 400 || !strings.Contains(out, "revoked") {
		t.Errorf("revoked: %d %s", code, out)
	}
	stop()
	url, _, stop = startServe(t, dir, "--key", "server.jwk", "--addr", "127.0.0.1:0")
	defer stop()
	if code, out := verify(url, good); code != 400 || !strings.Contains(out, "no status checker configured") {
		t.Errorf("without --status-doc: %d %s", code, out)
	}
}

// TestServeNetworkFlags: the network flags of badge serve and their old
// names. The credentials name addresses the resolvers refuse before
// dialing (an IP address in did:web, a loopback status list), so nothing is
// fetched, but the refusal says which look-ups were allowed.
func TestServeNetworkFlags(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, "issuer.jwk")
	webKey := templateBadge(t, "did:web:169.254.169.254", "did:example:learner", "urn:uuid:7e0a3c44-1d55-4c1b-8d7e-3f2b9c6a5e01")
	webKey["proof"] = map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-02T03:04:05Z",
		"verificationMethod": "did:web:169.254.169.254#key-1", "proofPurpose": "assertionMethod",
		"proofValue": "z2GLM4SoaasSk1uhaBSHWxQmjWazi6KxytDfENP9eKtfXuLoFMAD9CJtxazw4UkD8gtMHYXhovcwa175QveK6Le7t",
	}
	loopbackList := templateBadge(t, "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "did:example:learner", "urn:uuid:7e0a3c44-1d55-4c1b-8d7e-3f2b9c6a5e01")
	loopbackList["credentialStatus"] = map[string]any{
		"id": "https://127.0.0.1/status/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
		"statusListIndex": "5", "statusListCredential": "https://127.0.0.1/status/1",
	}
	const (
		keysOff   = "unsupported DID method"
		keysOn    = "IP addresses are not allowed"
		statusOff = "no status checker configured"
		statusOn  = "address not allowed"
	)
	for _, tc := range []struct {
		flag         string
		keys, status string
	}{
		{"", keysOff, statusOff},
		{"--network", keysOn, statusOn},
		{"--network-keys", keysOn, statusOff},
		{"--did-web", keysOn, statusOff},
		{"--network-status", keysOff, statusOn},
		{"--fetch-status", keysOff, statusOn},
	} {
		args := []string{"--key", "issuer.jwk", "--addr", "127.0.0.1:0"}
		if tc.flag != "" {
			args = append(args, tc.flag)
		}
		url, _, stop := startServe(t, dir, args...)
		for _, c := range []struct {
			vc   map[string]any
			want string
		}{{webKey, tc.keys}, {loopbackList, tc.status}} {
			code, out := postJSON(t, http.DefaultClient, url+"/credentials/verify", map[string]any{"verifiableCredential": c.vc})
			b, _ := json.Marshal(out["errors"])
			if code != 400 || !strings.Contains(string(b), c.want) {
				t.Errorf("%q: %d, want 400 with %q in %s", tc.flag, code, c.want, b)
			}
		}
		stop()
	}
}
