// Package testkeys gives tests the Ed25519 keys of /testdata/keys, which
// the tests of several packages share (an issuer's key in one package is a
// holder's or a stranger's in another): each key is one file there, read
// by path, rather than a copy in each package.
package testkeys

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/internal/testref"
)

// Count is the number of keys: Ed25519 takes 1 to Count.
const Count = 9

var cache [Count + 1]struct {
	once sync.Once
	key  *keys.Key
	err  error
}

// Ed25519 returns test key n (1 to Count), the key file
// /testdata/keys/ed25519-n.jwk: its signer, did:key and verification
// method. It panics when the file cannot be read, as the keys are part of
// the repository; each file is read once per test binary.
func Ed25519(n int) *keys.Key {
	if n < 1 || n > Count {
		panic(fmt.Sprintf("testkeys: no key %d (1 to %d)", n, Count))
	}
	c := &cache[n]
	c.once.Do(func() {
		root, err := testref.ModuleRoot()
		if err != nil {
			c.err = err
			return
		}
		data, err := os.ReadFile(filepath.Join(root, "testdata", "keys", fmt.Sprintf("ed25519-%d.jwk", n)))
		if err != nil {
			c.err = err
			return
		}
		c.key, c.err = keys.Parse(data)
	})
	if c.err != nil {
		panic(fmt.Sprintf("testkeys: key %d: %v", n, c.err))
	}
	if _, ok := c.key.Signer.(ed25519.PrivateKey); !ok {
		panic(fmt.Sprintf("testkeys: key %d is not an Ed25519 key", n))
	}
	return c.key
}

// Private returns test key n as an ed25519.PrivateKey, with its did:key
// and verification method.
func Private(n int) (priv ed25519.PrivateKey, didKey, vm string) {
	k := Ed25519(n)
	return k.Signer.(ed25519.PrivateKey), k.DID, k.VerificationMethod
}

// SignAsIs signs doc with k (eddsa-rdfc-2022) as it is, without the
// validation an issuer would refuse a nonconformant credential with, and
// returns the signed document: for tests of what a verifier does with
// badges the issuer would not sign.
func SignAsIs(t testing.TB, k *keys.Key, doc map[string]any) map[string]any {
	t.Helper()
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: k.Signer, VerificationMethod: k.VerificationMethod})
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := p.AddProof(context.Background(), unsigned, dataintegrity.ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(signed, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
