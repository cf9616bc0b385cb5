package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/vcjwt"
)

// runBadge runs the badge command in-process.
func runVerifyCmd(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{args: args, stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errOut, dir: t.TempDir()}
	code = run(context.Background(), e)
	return code, out.String(), errOut.String()
}

func signedBadge(t *testing.T) []byte {
	t.Helper()
	key, _, vm := testkeys.Private(9)
	is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	b, err := is.Issue(context.Background(), demoBadge(demoNow()))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyExitCodes(t *testing.T) {
	signed := signedBadge(t)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	baked, err := bake.PNG(img.Bytes(), signed)
	if err != nil {
		t.Fatal(err)
	}
	tampered, err := changeResult(signed, "10")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin []byte
		args  []string
		code  int
		out   string
	}{
		{"json credential", signed, []string{"verify"}, exitOK, "verified\n"},
		{"baked png", baked, []string{"verify", "-"}, exitOK, "verified\n"},
		{"tampered", tampered, []string{"verify"}, exitRejected, "not verified\n  what it claims (not verified):\n    badge:"},
		{"empty input", nil, []string{"verify"}, exitUsage, "not verified\n  failed: parse $: credential: malformed JSON"},
		{"png without credential", img.Bytes(), []string{"verify"}, exitUsage, "not verified\n  failed: parse: bake:"},
		{"bad flag", signed, []string{"verify", "--bogus"}, exitUsage, ""},
		{"missing file", nil, []string{"verify", "nope.json"}, exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runVerifyCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.HasPrefix(out, tt.out) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q…", code, out, errOut, tt.code, tt.out)
			}
		})
	}
	// --json prints a Result.
	code, out, _ := runVerifyCmd(t, tampered, "verify", "--json")
	var r struct {
		Verified bool
		Errors   []struct{ Type string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != exitRejected || r.Verified || len(r.Errors) == 0 {
		t.Fatalf("--json: exit %d, %v, %s", code, err, out)
	}
}

func TestDemoExitCode(t *testing.T) {
	code, out, errOut := runVerifyCmd(t, nil, "demo")
	if code != exitOK || errOut != "" || !strings.Contains(out, "the change was caught") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// A VC-JWT from an https issuer whose key is only in its jwk header: refused
// by default, verified when --jwks pins the issuer's published key set
// holding that key, and refused again when the set holds another key.
func TestVerifyJWKS(t *testing.T) {
	const iss = "https://example.edu/issuers/565049"
	key, _, _ := testkeys.Private(7)
	other, _, _ := testkeys.Private(8)
	demo, err := json.Marshal(demoBadge(demoNow()))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(demo, &m); err != nil {
		t.Fatal(err)
	}
	m["issuer"] = map[string]any{"id": iss, "type": []any{"Profile"}}
	credJSON, _ := json.Marshal(m)
	tok, err := vcjwt.Sign(context.Background(), credJSON, key, vcjwt.SignOptions{EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}
	set := func(pub ed25519.PublicKey) string {
		j, err := did.JWKFromPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"keys": []any{j}})
		return string(b)
	}
	dir := t.TempDir()
	write := func(name, s string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, wrong := write("good.json", set(key.Public().(ed25519.PublicKey))), write("wrong.json", set(other.Public().(ed25519.PublicKey)))
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitRejected, "key provenance not proven"},
		{[]string{"--jwks", iss + "=" + good}, exitOK, "verified"},
		{[]string{"--jwks", iss + "=" + wrong}, exitRejected, "not verified"},
		{[]string{"--insecure-accept-unproven-jwk"}, exitOK, "jwk-unproven"},
		{[]string{"--jwks", "nofile"}, exitUsage, ""},
	} {
		code, out, errOut := runVerifyCmd(t, []byte(tok), append(append([]string{"verify"}, tc.args...), "-")...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%v: exit %d, want %d; stdout %q stderr %q", tc.args, code, tc.code, out, errOut)
		}
	}
}
