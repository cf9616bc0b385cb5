package keys

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
)

// sharedReference returns <repo root>/../shared/reference or skips.
func sharedReference(t *testing.T) string {
	t.Helper()
	return testref.Reference(t)
}

// TestW3CKeyFiles loads the key pairs of the W3C vc-di-eddsa test vectors
// as key files: keyPair.json and the four pairs of
// proof-set-chain/multiKeyPairs.json.
func TestW3CKeyFiles(t *testing.T) {
	dir := filepath.Join(sharedReference(t), "vectors", "vc-di-eddsa", "TestVectors")
	files := map[string][]byte{}
	if b, err := os.ReadFile(filepath.Join(dir, "keyPair.json")); err == nil {
		files["keyPair"] = b
	}
	if b, err := os.ReadFile(filepath.Join(dir, "proof-set-chain", "multiKeyPairs.json")); err == nil {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for name, raw := range m {
			files[name] = raw
		}
	}
	if len(files) == 0 {
		t.Skip("vc-di-eddsa key files not found")
	}
	for name, data := range files {
		k, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var pair struct{ PublicKeyMultibase string }
		json.Unmarshal(data, &pair)
		if k.DID != "did:key:"+pair.PublicKeyMultibase {
			t.Fatalf("%s: DID %s", name, k.DID)
		}
		if _, err := did.DecodePublicKey(pair.PublicKeyMultibase); err != nil {
			t.Fatal(err)
		}
		checkSigns(t, k)
	}
}
