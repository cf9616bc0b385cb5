package main

import (
	"bytes"
	"context"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/keys"
)

func invokeBadge(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{args: args, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, dir: dir}
	code := run(context.Background(), e)
	return code, stdout.String(), stderr.String()
}

func TestKeygenFile(t *testing.T) {
	dir := t.TempDir()
	for _, typ := range []string{"ed25519", "p256", "p384"} {
		name := typ + ".json"
		code, stdout, stderr := invokeBadge(t, dir, "keygen", "--type", typ, "-o", name)
		if code != exitOK || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", typ, code, stdout, stderr)
		}
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, want 0600", typ, fi.Mode().Perm())
		}
		data, _ := os.ReadFile(path)
		k, err := keys.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(stderr) != k.DID {
			t.Fatalf("stderr %q, key DID %q", stderr, k.DID)
		}
		// The kid is a resolvable assertion method of the DID.
		vm, _, err := did.ResolveVerificationMethod(context.Background(), nil, k.VerificationMethod, did.AssertionMethod)
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := vm.PublicKey()
		if !k.Public.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
			t.Fatal("resolved key differs")
		}
		// Never overwritten.
		code, _, stderr = invokeBadge(t, dir, "keygen", "-o", name)
		if code != exitRejected || !strings.Contains(stderr, "exists") {
			t.Fatalf("overwrite: exit %d %q", code, stderr)
		}
		again, _ := os.ReadFile(path)
		if !bytes.Equal(again, data) {
			t.Fatal("key file changed")
		}
	}
	// A symlink planted at the output path is not followed.
	target := filepath.Join(dir, "target")
	if err := os.Symlink(target, filepath.Join(dir, "link.json")); err == nil {
		code, _, _ := invokeBadge(t, dir, "keygen", "-o", "link.json")
		if code != exitRejected {
			t.Fatalf("exit %d through a symlink", code)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatal("wrote through the symlink")
		}
	}
	if code, _, _ := invokeBadge(t, dir, "keygen", "-o", "missing-dir/k.json"); code != exitRejected {
		t.Fatalf("exit %d", code)
	}
	if code, _, _ := invokeBadge(t, dir, "keygen", "--type"); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
}

func TestDIDResolveExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"did", "resolve", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}, exitOK},
		{[]string{"did", "resolve", "--network", "did:jwk:e30"}, exitRejected},
		{[]string{"did", "resolve", "did:web:example.com"}, exitRejected},
		{[]string{"did", "resolve"}, exitUsage},
		{[]string{"did", "resolve", "--nope", "did:key:x"}, exitUsage},
		{[]string{"did", "resolve", "-h"}, exitOK},
	} {
		if code, _, stderr := invokeBadge(t, "", tc.args...); code != tc.want {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.want, stderr)
		}
	}
}
