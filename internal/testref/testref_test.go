package testref

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoot(t *testing.T) {
	root := Root(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("Root = %s, which has no go.mod", root)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testref", "testref.go")); err != nil {
		t.Fatalf("Root = %s is not this module's root", root)
	}
}

func TestReference(t *testing.T) {
	ref := Reference(t) // skips where the material is absent
	if filepath.Base(ref) != "reference" || filepath.Base(filepath.Dir(ref)) != "shared" {
		t.Fatalf("Reference = %s", ref)
	}
}

func TestTestdata(t *testing.T) {
	b := Testdata(t, "badge-template.json", "ISSUER", "did:example:issuer", "SUBJECT", "did:example:learner")
	assert.Contains(t, string(b), `"id": "did:example:issuer"`)
	assert.Contains(t, string(b), `"id": "did:example:learner"`)
	assert.Contains(t, string(b), `"BADGE_ID"`)
}
