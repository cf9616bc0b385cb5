package credential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// referenceDir returns <module root>/../shared/reference, or skips the test.
func referenceDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			ref := filepath.Join(dir, "..", "shared", "reference")
			if _, err := os.Stat(ref); err != nil {
				t.Skipf("reference material not available at %s", ref)
			}
			return ref
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
}

// exampleCredentials lists the JSON credentials of the ob-spec and
// 1edtech-validator vectors (relative paths, from vectors/INDEX.json).
func exampleCredentials(t testing.TB) (string, []string) {
	ref := referenceDir(t)
	b, err := os.ReadFile(filepath.Join(ref, "vectors", "INDEX.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index struct {
		Files map[string]json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range index.Files {
		if (strings.HasPrefix(name, "ob-spec/") || strings.HasPrefix(name, "1edtech-validator/")) &&
			strings.HasSuffix(name, ".json") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		t.Fatal("no credentials listed in vectors/INDEX.json")
	}
	return filepath.Join(ref, "vectors"), names
}
