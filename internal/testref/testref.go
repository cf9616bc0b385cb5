// Package testref finds, for tests, the shared reference material that CI
// lays beside the checkout (../shared: W3C and 1EdTech vectors, official
// contexts and schemas, the benchmark sample). Tests that need it call
// Reference or Shared, which skip the test with a clear message when the
// material is absent, so that "go test ./..." passes on a bare checkout.
// Testdata reads the fixtures in the module's own testdata directory.
package testref

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Root returns the module root: the nearest directory above the test's
// working directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := ModuleRoot()
	if err != nil {
		t.Skip(err.Error())
	}
	return dir
}

// ModuleRoot is Root for helpers that have no testing.TB at hand.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testref: go.mod not found above the test directory")
		}
		dir = parent
	}
}

// Testdata returns the file name of the module's testdata directory (the
// fixtures the tests of several packages share) with its placeholders
// replaced: replacements are old, new pairs, as strings.NewReplacer takes
// them.
func Testdata(t testing.TB, name string, replacements ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(t), "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer(replacements...).Replace(string(b)))
}

// Shared returns ../shared beside the module root, or skips the test.
func Shared(t testing.TB) string {
	t.Helper()
	return dirOrSkip(t, filepath.Join(Root(t), "..", "shared"))
}

// Reference returns ../shared/reference beside the module root, or skips
// the test.
func Reference(t testing.TB) string {
	t.Helper()
	return dirOrSkip(t, filepath.Join(Root(t), "..", "shared", "reference"))
}

func dirOrSkip(t testing.TB, dir string) string {
	t.Helper()
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("testref: shared reference material not found at %s", dir)
	}
	return dir
}
