package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
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
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	_, vm, _ := did.NewKeyDID(key.Public())
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
		{"tampered", tampered, []string{"verify"}, exitRejected, "not verified: proof"},
		{"empty input", nil, []string{"verify"}, exitRejected, "not verified: parse"},
		{"png without credential", img.Bytes(), []string{"verify"}, exitRejected, "not verified: parse"},
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
