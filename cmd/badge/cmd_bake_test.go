package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	bakeTestJSON = `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"]}`
	bakeTestJWS  = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl"
	bakeTestSVG  = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>`
)

// runBadge runs the badge command in-process in dir and returns its exit
// status and output.
func runBadge(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{args: args, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, dir: dir}
	code = run(context.Background(), e)
	return code, out.String(), errOut.String()
}

// bakeTestDir makes a directory holding a small PNG (made with image/png),
// an SVG, and a JSON and a JWS credential (with the trailing newline that
// editors add).
func bakeTestDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"badge.png":  img.String(),
		"badge.svg":  bakeTestSVG,
		"cred.json":  bakeTestJSON + "\n",
		"cred.jws":   bakeTestJWS + "\n",
		"notcred.js": "alert(1)\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBakeUnbakeCommands(t *testing.T) {
	dir := bakeTestDir(t)
	for _, c := range []struct{ img, cred, want, format string }{
		{"badge.png", "cred.json", bakeTestJSON, "png, JSON"},
		{"badge.png", "cred.jws", bakeTestJWS, "png, JWS"},
		{"badge.svg", "cred.json", bakeTestJSON, "svg, JSON"},
		{"badge.svg", "cred.jws", bakeTestJWS, "svg, JWS"},
	} {
		out := "baked-" + c.cred + "." + c.img
		code, stdout, stderr := runBadge(t, dir, "", "bake", "--in", c.img, "--credential", c.cred, "-o", out)
		if code != exitOK || stdout != "" || !strings.Contains(stderr, "wrote "+out+" ("+c.format+" credential)") {
			t.Fatalf("bake %s %s: exit %d, stdout %q, stderr %q", c.img, c.cred, code, stdout, stderr)
		}
		code, stdout, stderr = runBadge(t, dir, "", "unbake", out)
		if code != exitOK || stdout != c.want+"\n" || stderr != "" {
			t.Errorf("unbake %s: exit %d, stdout %q, stderr %q", out, code, stdout, stderr)
		}
		// Standard input works too.
		data, err := os.ReadFile(filepath.Join(dir, out))
		if err != nil {
			t.Fatal(err)
		}
		if code, stdout, _ := runBadge(t, dir, string(data), "unbake"); code != exitOK || stdout != c.want+"\n" {
			t.Errorf("unbake < %s: exit %d, stdout %q", out, code, stdout)
		}
		if c.img == "badge.png" {
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("baked PNG does not decode: %v", err)
			}
		}
	}
}

func TestBakeCommandOutput(t *testing.T) {
	dir := bakeTestDir(t)
	// -o - writes the image to standard output; the image may come from stdin.
	code, stdout, _ := runBadge(t, dir, bakeTestSVG, "bake", "--in", "-", "--credential", "cred.jws", "-o", "-")
	if code != exitOK || !strings.Contains(stdout, `verify="`+bakeTestJWS+`"`) {
		t.Fatalf("bake -o -: exit %d, stdout %q", code, stdout)
	}

	// An existing file is never overwritten without --force.
	if code, _, _ := runBadge(t, dir, "", "bake", "--in", "badge.png", "--credential", "cred.json", "-o", "out.png"); code != exitOK {
		t.Fatal("first bake failed")
	}
	first, _ := os.ReadFile(filepath.Join(dir, "out.png"))
	code, _, stderr := runBadge(t, dir, "", "bake", "--in", "badge.png", "--credential", "cred.jws", "-o", "out.png")
	if code != exitUsage || !strings.Contains(stderr, "out.png exists; use --force") {
		t.Fatalf("overwrite without --force: exit %d, stderr %q", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "out.png")); !bytes.Equal(again, first) {
		t.Fatal("out.png changed without --force")
	}
	// The input itself is an existing file too.
	if code, _, _ := runBadge(t, dir, "", "bake", "--in", "badge.png", "--credential", "cred.jws", "-o", "badge.png"); code != exitUsage {
		t.Fatalf("baking over the input without --force: exit %d", code)
	}
	code, _, stderr = runBadge(t, dir, "", "bake", "--force", "--in", "out.png", "--credential", "cred.jws", "-o", "out.png")
	if code != exitOK {
		t.Fatalf("bake --force: exit %d, stderr %q", code, stderr)
	}
	if _, stdout, _ := runBadge(t, dir, "", "unbake", "out.png"); stdout != bakeTestJWS+"\n" {
		t.Errorf("after --force, unbake prints %q", stdout)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), ".badge-bake-") {
			t.Errorf("temporary file %s left behind", en.Name())
		}
	}
}

func TestBakeCommandExitCodes(t *testing.T) {
	dir := bakeTestDir(t)
	if code, _, _ := runBadge(t, dir, "", "bake", "--in", "badge.svg", "--credential", "cred.json", "-o", "baked.svg"); code != exitOK {
		t.Fatal("setup bake failed")
	}
	if err := os.WriteFile(filepath.Join(dir, "twice.svg"), []byte(
		`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="`+bakeTestJWS+
			`"/><openbadges:credential verify="`+bakeTestJWS+`"/></svg>`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"bake without flags", []string{"bake"}, "", exitUsage, "--in IMAGE is required"},
		{"bake without credential", []string{"bake", "--in", "badge.png", "-o", "x.png"}, "", exitUsage, "--credential FILE is required"},
		{"bake without output", []string{"bake", "--in", "badge.png", "--credential", "cred.json"}, "", exitUsage, "-o OUT is required"},
		{"bake with an argument", []string{"bake", "--in", "badge.png", "--credential", "cred.json", "-o", "x.png", "extra"}, "", exitUsage, `unexpected argument "extra"`},
		{"bake unknown flag", []string{"bake", "--frob"}, "", exitUsage, "unknown flag: --frob"},
		{"bake two stdins", []string{"bake", "--in", "-", "--credential", "-", "-o", "x"}, "", exitUsage, "cannot both be standard input"},
		{"bake missing image", []string{"bake", "--in", "nope.png", "--credential", "cred.json", "-o", "x.png"}, "", exitUsage, "image: open"},
		{"bake missing credential", []string{"bake", "--in", "badge.png", "--credential", "nope.json", "-o", "x.png"}, "", exitUsage, "credential: open"},
		{"bake unwritable output", []string{"bake", "--in", "badge.png", "--credential", "cred.json", "-o", "no/such/dir/x.png"}, "", exitUsage, "no such file"},
		{"bake bad credential", []string{"bake", "--in", "badge.png", "--credential", "notcred.js", "-o", "x.png"}, "", exitRejected, "bake: credential is neither a JSON object nor a compact JWS"},
		{"bake into a credential", []string{"bake", "--in", "cred.json", "--credential", "cred.json", "-o", "x.png"}, "", exitRejected, "bake: not a PNG or SVG image"},
		{"unbake not baked", []string{"unbake", "badge.png"}, "", exitRejected, "bake: image has no Open Badges 3.0 credential"},
		{"unbake two credentials", []string{"unbake", "twice.svg"}, "", exitRejected, "more than one credential"},
		{"unbake a credential", []string{"unbake", "cred.json"}, "", exitRejected, "not a PNG or SVG image"},
		{"unbake empty stdin", []string{"unbake"}, "", exitRejected, "not a PNG or SVG image"},
		{"unbake entities", []string{"unbake", "-"}, `<!DOCTYPE svg [<!ENTITY a "b">]><svg/>`, exitRejected, "entities or a DTD internal subset"},
		{"unbake missing file", []string{"unbake", "nope.png"}, "", exitUsage, "no such file"},
		{"unbake two files", []string{"unbake", "a", "b"}, "", exitUsage, "at most one input file"},
		{"unbake unknown flag", []string{"unbake", "--frob"}, "", exitUsage, "unknown flag: --frob"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runBadge(t, dir, c.stdin, c.args...)
			if code != c.code || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, c.code, c.stderr)
			}
			if code != exitOK && stdout != "" {
				t.Errorf("stdout %q on failure", stdout)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); err == nil {
		t.Error("a failed bake left x.png behind")
	}
}

func TestBakeCommandHelp(t *testing.T) {
	for _, name := range []string{"bake", "unbake"} {
		code, stdout, _ := runBadge(t, "", "", name, "-h")
		if code != exitOK || !strings.HasPrefix(stdout, "usage: badge "+name) {
			t.Errorf("%s -h: exit %d, stdout %q", name, code, stdout)
		}
		code, stdout, _ = runBadge(t, "", "", "help", name)
		if code != exitOK || !strings.Contains(stdout, "badge "+name) {
			t.Errorf("help %s: exit %d, stdout %q", name, code, stdout)
		}
	}
}

// TestUnbakeCommandFixtures un-bakes the 1EdTech validator's baked fixtures
// (see vectors/INDEX.json in the shared reference material). It is a Go test
// rather than a transcript because testscript has no condition to skip when
// the shared material is absent.
func TestUnbakeCommandFixtures(t *testing.T) {
	shared := sharedDir()
	ob30 := filepath.Join(shared, "reference", "vectors", "1edtech-validator", "ob30")
	if _, err := os.Stat(ob30); shared == "" || err != nil {
		t.Skip("shared reference material not present")
	}
	for _, c := range []struct{ file, want string }{
		{"simple-json.png", `"id": "http://example.com/credentials/3527"`},
		{"simple-json.svg", `"id": "http://example.com/credentials/3527"`},
		{"simple-jwt.png", "eyJhbGciOiJSUzI1NiIsImp3ayI6"},
		{"simple-jwt.svg", "eyJhbGciOiJSUzI1NiIsImp3ayI6"},
		{"simple-jwt_v1.png", "eyJhbGciOiJSUzI1NiIsImp3ayI6"},
		{"simple-jwt_v1.svg", "eyJhbGciOiJSUzI1NiIsImp3ayI6"},
	} {
		code, stdout, stderr := runBadge(t, "", "", "unbake", filepath.Join(ob30, c.file))
		if code != exitOK || !strings.Contains(stdout, c.want) || stderr != "" {
			t.Errorf("unbake %s: exit %d, stderr %q, stdout starts %.60q", c.file, code, stderr, stdout)
		}
	}
	// Baking over a fixture replaces its credential.
	dir := bakeTestDir(t)
	code, _, stderr := runBadge(t, dir, "", "bake", "--in", filepath.Join(ob30, "simple-json.png"), "--credential", "cred.jws", "-o", "rebaked.png")
	if code != exitOK {
		t.Fatalf("bake over fixture: exit %d, %s", code, stderr)
	}
	if _, stdout, _ := runBadge(t, dir, "", "unbake", "rebaked.png"); stdout != bakeTestJWS+"\n" {
		t.Errorf("unbake rebaked.png = %q", stdout)
	}
}
