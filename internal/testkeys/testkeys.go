// Package testkeys gives tests the Ed25519 keys of /testdata/keys, which
// the tests of several packages share (an issuer's key in one package is a
// holder's or a stranger's in another): each key is one file there, read
// by path, rather than a copy in each package.
package testkeys

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"sync"

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
