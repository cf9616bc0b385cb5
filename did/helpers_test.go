package did

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// sharedReference returns <repo root>/../shared/reference, or skips the test
// when that directory is absent.
func sharedReference(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found above the test directory")
		}
		dir = parent
	}
	ref := filepath.Join(dir, "..", "shared", "reference")
	if fi, err := os.Stat(ref); err != nil || !fi.IsDir() {
		t.Skipf("shared reference material not found at %s", ref)
	}
	return ref
}

// wantErr fails unless err matches every target with errors.Is, and checks
// that the error text is package-prefixed.
func wantErr(t testing.TB, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %q does not match %q", err, target)
		}
	}
	if len(err.Error()) < 5 || err.Error()[:5] != "did: " {
		t.Fatalf("error %q is not prefixed with \"did: \"", err)
	}
}
