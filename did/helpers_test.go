package did

import (
	"errors"
	"testing"

	"github.com/microcred/openbadges/internal/testref"
)

// sharedReference returns <repo root>/../shared/reference, or skips the test
// when that directory is absent.
func sharedReference(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
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
