package credential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/internal/testref"
)

// document is c's input decoded as a JSON document, or nil for a
// credential built in Go.
func document(c *Credential) map[string]any {
	if c.src == "" {
		return nil
	}
	v, _ := strictjson.Parse(c.src, strictjson.Options{MaxBytes: len(c.src), MaxDepth: strictjson.HardMaxDepth, MaxKeys: len(c.src)})
	x := v.ToGo()
	m, _ := x.(map[string]any)
	return m
}

// referenceDir returns <module root>/../shared/reference, or skips the test.
func referenceDir(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
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
