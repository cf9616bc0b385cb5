// Package realworld describes testdata/realworld, a set of credentials
// shaped like what deployed Open Badges 3.0 issuers produce, with what a
// strict and a lenient verifier must conclude of each. The set is generated
// by this package's tests (go test ./internal/realworld -update); the
// library, CLI and VC-API tests read INDEX.json through Load so that the
// three agree on one list of expectations.
package realworld

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/microcred/openbadges/internal/testref"
)

// IndexFile is the name of the index in the fixture directory.
const IndexFile = "INDEX.json"

// Index is INDEX.json.
type Index struct {
	// Now is the instant (RFC 3339) at which the expectations hold: the
	// verifier's clock. Fixed, so that the set does not expire.
	Now string `json:"now"`
	// Credentials lists every credential file with its expectations.
	Credentials []Entry `json:"credentials"`
}

// Entry is one credential of the set.
type Entry struct {
	// File is the credential, relative to the fixture directory.
	File string `json:"file"`
	// Category groups credentials that exercise the same real-world quirk.
	Category string `json:"category"`
	// Description says in one line what the credential is and why it
	// verifies or fails.
	Description string `json:"description"`
	// Resolve pins DID documents: DID → file (badge verify --resolve).
	Resolve map[string]string `json:"resolve,omitempty"`
	// StatusDocs pins status list credentials: URL → file (badge verify
	// --status-doc).
	StatusDocs map[string]string `json:"statusDocs,omitempty"`
	// Contexts pins JSON-LD contexts: URL → file (badge verify --context).
	Contexts map[string]string `json:"contexts,omitempty"`
	// Strict and Lenient are the expected outcomes in each verifier mode.
	Strict  Expect `json:"strict"`
	Lenient Expect `json:"lenient"`
}

// Expect is the expected outcome of one verification.
type Expect struct {
	// Verdict is verifier.Verdict: "verified", "authentic, not
	// conformant" or "not verified".
	Verdict    string `json:"verdict"`
	Verified   bool   `json:"verified"`
	Authentic  bool   `json:"authentic"`
	Conformant bool   `json:"conformant"`
	// Failed are the names of the checks of Result.Errors, sorted and
	// without repeats; empty when verified.
	Failed []string `json:"failed"`
	// Relaxed are the names of the checks of the warnings marked Relaxed
	// (lenient mode only), sorted and without repeats.
	Relaxed []string `json:"relaxed"`
	// Warnings are check names that must be among the other warnings.
	Warnings []string `json:"warnings,omitempty"`
	// VerifiedEndorsements, when not nil, is Result.VerifiedEndorsements.
	VerifiedEndorsements []string `json:"verifiedEndorsements,omitempty"`
}

// Mode returns the expectation for a verifier mode.
func (e Entry) Mode(lenient bool) Expect {
	if lenient {
		return e.Lenient
	}
	return e.Strict
}

// Dir returns the fixture directory, testdata/realworld at the module root.
func Dir(t testing.TB) string {
	t.Helper()
	return filepath.Join(testref.Root(t), "testdata", "realworld")
}

// Load reads the index of the fixture directory.
func Load(t testing.TB) (dir string, idx *Index) {
	t.Helper()
	dir = Dir(t)
	b, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatalf("realworld: %v (regenerate with go test ./internal/realworld -update)", err)
	}
	idx = new(Index)
	if err := json.Unmarshal(b, idx); err != nil {
		t.Fatalf("realworld: %s: %v", IndexFile, err)
	}
	if len(idx.Credentials) == 0 {
		t.Fatalf("realworld: %s lists no credentials", IndexFile)
	}
	return dir, idx
}

// Pins returns the command-line flags that pin what e needs, with files
// under dir: --resolve DID=FILE, --status-doc URL=FILE and --context
// URL=FILE, in a stable order.
func (e Entry) Pins(dir string) []string {
	var args []string
	for _, p := range []struct {
		flag string
		m    map[string]string
	}{{"--resolve", e.Resolve}, {"--status-doc", e.StatusDocs}, {"--context", e.Contexts}} {
		for _, k := range slices.Sorted(maps.Keys(p.m)) {
			args = append(args, p.flag, fmt.Sprintf("%s=%s", k, filepath.Join(dir, p.m[k])))
		}
	}
	return args
}

// ReadPins reads the files a pin map names (see Entry.Resolve), keyed as
// the map is.
func ReadPins(t testing.TB, dir string, pins map[string]string) map[string][]byte {
	t.Helper()
	out := make(map[string][]byte, len(pins))
	for k, f := range pins {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("realworld: %s: %v", k, err)
		}
		out[k] = b
	}
	return out
}
