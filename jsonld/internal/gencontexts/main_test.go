package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileName(t *testing.T) {
	for url, want := range map[string]string{
		"https://www.w3.org/ns/credentials/v2":                 "www.w3.org_ns_credentials_v2.jsonld",
		"https://purl.imsglobal.org/spec/ob/v3p0/context.json": "purl.imsglobal.org_spec_ob_v3p0_context.json",
		"https://w3id.org/security/suites/ed25519-2020/v1":     "w3id.org_security_suites_ed25519-2020_v1.jsonld",
		"https://example.org/a.jsonld":                         "example.org_a.jsonld",
	} {
		if got := fileName(url); got != want {
			t.Errorf("fileName(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestEntryBySourceKind(t *testing.T) {
	o := official("https://example.org/ctx", "ab")
	if got, want := o.entry(), (entry{URL: "https://example.org/ctx", File: "example.org_ctx.jsonld", SHA256: "ab", OfficialURL: "https://example.org/ctx"}); got != want {
		t.Errorf("official entry = %+v, want %+v", got, want)
	}
	p := pkg{"p", "1.0.0", "sha512-x"}
	n := npm("https://example.org/ctx.json", p, "ctx.js", commonJSModule)
	want := entry{URL: "https://example.org/ctx.json", File: "example.org_ctx.json", Package: "p", Version: "1.0.0", Path: "ctx.js", Integrity: "sha512-x", Converted: true}
	if got := n.entry(); got != want {
		t.Errorf("npm entry = %+v, want %+v", got, want)
	}
}

func TestPinsAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range sources {
		if seen[s.URL] {
			t.Errorf("%s pinned twice", s.URL)
		}
		seen[s.URL] = true
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("%s: not https", s.URL)
		}
		if s.isOfficial() {
			if len(s.OfficialSHA256) != 64 || strings.Trim(s.OfficialSHA256, "0123456789abcdef") != "" {
				t.Errorf("%s: official digest %q is not lowercase hex SHA-256", s.URL, s.OfficialSHA256)
			}
			if s.Package != (pkg{}) || s.Path != "" {
				t.Errorf("%s: official document with an npm source too", s.URL)
			}
			continue
		}
		if !strings.HasPrefix(s.Package.Integrity, "sha512-") {
			t.Errorf("%s: no sha512 integrity pinned", s.Package)
		}
	}
}

// writeReference makes a reference folder holding doc for url.
func writeReference(t *testing.T, url string, doc []byte) string {
	t.Helper()
	dir := t.TempDir()
	index := `{"contexts": {"` + url + `": {"file": "` + fileName(url) + `"}}}`
	if err := os.WriteFile(filepath.Join(dir, "INDEX.json"), []byte(index), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fileName(url)), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOfficialDocumentPinned(t *testing.T) {
	const url = "https://example.org/ctx"
	doc := []byte(`{"@context": {"@vocab": "https://example.org/#"}}` + "\n")
	sum := sha256.Sum256(doc)
	pin := hex.EncodeToString(sum[:])
	ref, err := openReference(writeReference(t, url, doc))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ref.read(official(url, pin))
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("read = %q, %v", got, err)
	}

	// One byte more (here: a space) and the copy is refused.
	ref, err = openReference(writeReference(t, url, append(doc, ' ')))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ref.read(official(url, pin)); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("changed copy: got %v, want a refusal", err)
	}
	// A URL the index does not list is an error, not a skip.
	if _, err := ref.read(official("https://example.org/other", pin)); err == nil {
		t.Error("unlisted URL: no error")
	}
}

func TestOfficialFileNameStaysInFolder(t *testing.T) {
	dir := t.TempDir()
	index := `{"contexts": {"https://example.org/ctx": {"file": "../secret.json"}}}`
	if err := os.WriteFile(filepath.Join(dir, "INDEX.json"), []byte(index), 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err := openReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ref.read(official("https://example.org/ctx", strings.Repeat("0", 64))); err == nil || !strings.Contains(err.Error(), "not inside") {
		t.Errorf("got %v", err)
	}
}

func TestOfficialPinsMatchReference(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "..", "shared", "reference", "contexts")
	if _, err := os.Stat(filepath.Join(dir, "INDEX.json")); err != nil {
		t.Skipf("reference contexts not available at %s: %v", dir, err)
	}
	ref, err := openReference("")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sources {
		if !s.isOfficial() {
			continue
		}
		b, err := ref.read(s)
		if err != nil {
			t.Errorf("%s: %v", s.URL, err)
			continue
		}
		if err := checkDocument(b); err != nil {
			t.Errorf("%s: %v", s.URL, err)
		}
	}
}

// TestCheckCommittedFiles is the offline -check run: the committed files
// match table.go, and table.go matches the pins.
func TestCheckCommittedFiles(t *testing.T) {
	if err := runCheck("../../contexts"); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	src := "../../contexts"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == fileName(sources[0].URL) {
			b = append(b, ' ')
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runCheck(dir); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("tampered file: got %v", err)
	}
}

// TestCheckHoldsOfficialDigests: -check refuses a table whose digest for an
// official document is not the pinned one, even when the file matches the
// table (both regenerated from a changed copy).
func TestCheckHoldsOfficialDigests(t *testing.T) {
	src := "../../contexts"
	i := -1
	for j, s := range sources {
		if s.isOfficial() {
			i = j
			break
		}
	}
	if i < 0 {
		t.Skip("no official document pinned")
	}
	table, err := parseTable(filepath.Join(src, "table.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for j, e := range table {
		b, err := os.ReadFile(filepath.Join(src, e.File))
		if err != nil {
			t.Fatal(err)
		}
		if e.URL == sources[i].URL {
			b = append(b, ' ')
			sum := sha256.Sum256(b)
			table[j].SHA256 = hex.EncodeToString(sum[:])
		}
		if err := os.WriteFile(filepath.Join(dir, e.File), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeTable(filepath.Join(dir, "table.go"), table); err != nil {
		t.Fatal(err)
	}
	if err := runCheck(dir); err == nil || !strings.Contains(err.Error(), sources[i].URL) {
		t.Errorf("official digest changed in the table: got %v", err)
	}
}
