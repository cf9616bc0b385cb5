package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// TestPresentVerifies checks what badge present prints with the library's
// presentation verifier: a Data Integrity badge and a VC-JWT, bound to the
// challenge and domain, with each exit code of the command.
func TestPresentVerifies(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, _, issuerDID := invokeBadge(t, dir, "keygen", "-o", "issuer.json")
	if code != exitOK {
		t.Fatal("keygen issuer")
	}
	code, _, holderDID := invokeBadge(t, dir, "keygen", "-o", "holder.json")
	if code != exitOK {
		t.Fatal("keygen holder")
	}
	holderDID = strings.TrimSpace(holderDID)
	write("badge.json", presentTestBadge(t, strings.TrimSpace(issuerDID), holderDID))
	code, signed, stderr := invokeBadge(t, dir, "issue", "--key", "issuer.json", "badge.json")
	if code != exitOK {
		t.Fatalf("issue: %s", stderr)
	}
	write("b1.json", signed)
	code, jwt, stderr := invokeBadge(t, dir, "issue", "--key", "issuer.json", "--jwt", "badge.json")
	if code != exitOK {
		t.Fatalf("issue --jwt: %s", stderr)
	}
	write("b2.jwt", jwt)

	code, vp, stderr := invokeBadge(t, dir, "present", "--key", "holder.json", "--challenge", "n-0S6_WzA2Mj", "--domain", "https://employer.example", "b1.json", "b2.jwt")
	if code != exitOK {
		t.Fatalf("present: exit %d: %s", code, stderr)
	}
	cv, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv, Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(context.Background(), []byte(vp), presentation.VerifyOptions{Challenge: "n-0S6_WzA2Mj", Domain: "https://employer.example", RequireHolderIsSubject: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.Holder != holderDID || len(res.CredentialResults) != 2 {
		t.Fatalf("%s\n%s", res.Summary(), vp)
	}
	res, _ = v.Verify(context.Background(), []byte(vp), presentation.VerifyOptions{Challenge: "another", Domain: "https://employer.example"})
	if res.Verified {
		t.Fatal("verified with another challenge")
	}

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--help"}, exitOK},
		{[]string{"--key", "holder.json", "--challenge", "c", "--bogus", "b1.json"}, exitUsage},
		{[]string{"--key", "holder.json", "--challenge", "c", "--insecure-no-challenge", "b1.json"}, exitUsage},
		{[]string{"--key", "holder.json", "--challenge", "c", "--expires", "x", "b1.json"}, exitUsage},
		{[]string{"--key", "holder.json", "--challenge", "c", "-", "-"}, exitUsage},
		{[]string{"--key", "holder.json", "--challenge", "c", "--id", "not a url", "b1.json"}, exitRejected},
		{[]string{"--key", "holder.json", "--challenge", "c", "badge.json", "b2.jwt"}, exitOK}, // unsigned badge: not checked here
	} {
		if code, _, stderr := invokeBadge(t, dir, append([]string{"present"}, tc.args...)...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, stderr)
		}
	}
}

// TestPresentP256Key: a non-Ed25519 holder key is a usage error, not a crash.
func TestPresentP256Key(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := invokeBadge(t, dir, "keygen", "--type", "p256", "-o", "k.json"); code != exitOK {
		t.Fatalf("keygen: %s", stderr)
	}
	os.WriteFile(filepath.Join(dir, "c.json"), []byte(`{"a":1}`), 0o600)
	code, _, stderr := invokeBadge(t, dir, "present", "--key", "k.json", "--challenge", "c", "c.json")
	if code != exitUsage || stderr == "" {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestVerifyPresentationHelper covers verifyPresentation, the part of badge
// verify that handles presentations.
func TestVerifyPresentationHelper(t *testing.T) {
	dir := t.TempDir()
	_, _, issuerDID := invokeBadge(t, dir, "keygen", "-o", "issuer.json")
	_, _, holderDID := invokeBadge(t, dir, "keygen", "-o", "holder.json")
	holderDID = strings.TrimSpace(holderDID)
	os.WriteFile(filepath.Join(dir, "badge.json"), []byte(presentTestBadge(t, strings.TrimSpace(issuerDID), holderDID)), 0o600)
	_, signed, _ := invokeBadge(t, dir, "issue", "--key", "issuer.json", "badge.json")
	os.WriteFile(filepath.Join(dir, "b1.json"), []byte(signed), 0o600)
	code, vp, stderr := invokeBadge(t, dir, "present", "--key", "holder.json", "--challenge", "abc", "--domain", "https://employer.example", "b1.json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	if !presentation.IsPresentation([]byte(vp)) || presentation.IsPresentation([]byte(signed)) {
		t.Fatal("IsPresentation")
	}
	cv, err := verifier.New(verifier.Config{Suites: verifySuites})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts   presentation.VerifyOptions
		asJSON bool
		code   int
		out    string
	}{
		{presentation.VerifyOptions{Challenge: "abc", Domain: "https://employer.example"}, false, exitOK, "verified\n  presentation: 1 credential, holder did:key:"},
		{presentation.VerifyOptions{Challenge: "abc", Domain: "https://employer.example"}, false, exitOK, "\n  credential 0 urn:uuid:5e4b5b1c-3f0e-4c39-a1b2-8f9d2f3a4b5c: verified\n    badge:        Welding Safety Level 1\n"},
		{presentation.VerifyOptions{Challenge: "abc", Domain: "https://employer.example"}, true, exitOK, `"credentialResults": [`},
		{presentation.VerifyOptions{Challenge: "xyz"}, false, exitRejected, "challenge mismatch"},
		{presentation.VerifyOptions{Domain: "https://evil.example"}, false, exitRejected, "domain mismatch"},
		{presentation.VerifyOptions{}, false, exitOK, "\n  warning: challenge $.proof.challenge: presentation: no challenge expected"},
	} {
		var stdout, stderr strings.Builder
		e := &env{stdout: &stdout, stderr: &stderr}
		code := verifyPresentation(context.Background(), e, cv, nil, nil, []byte(vp), tc.opts, verifyOutput{json: tc.asJSON})
		if code != tc.code || !strings.Contains(stdout.String(), tc.out) {
			t.Errorf("%+v: exit %d, stdout %q, stderr %q", tc.opts, code, stdout.String(), stderr.String())
		}
	}
}
