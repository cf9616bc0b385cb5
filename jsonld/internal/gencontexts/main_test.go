package main

import (
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

func TestTablePathNamesByteRange(t *testing.T) {
	s := source{Path: "dist/m.wasm", How: byteRange(10, 5)}
	if got, want := s.tablePath(), "dist/m.wasm[10:15]"; got != want {
		t.Errorf("tablePath = %q, want %q", got, want)
	}
	s = source{Path: "contexts/v1.jsonld", How: rawFile}
	if got := s.tablePath(); got != s.Path {
		t.Errorf("tablePath = %q, want %q", got, s.Path)
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
		if !strings.HasPrefix(s.Package.Integrity, "sha512-") {
			t.Errorf("%s: no sha512 integrity pinned", s.Package)
		}
		if s.How.kind == kindByteRange && (s.How.offset < 0 || s.How.length <= 0 || s.How.length > maxDocument) {
			t.Errorf("%s: bad byte range %+v", s.URL, s.How)
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
