package testkeys_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testkeys"
)

// TestKeys: key n is the Ed25519 key of the seed of 32 bytes n, which the
// tests derived themselves before the keys were files; its did:key and
// verification method are that key's.
func TestKeys(t *testing.T) {
	seen := map[string]bool{}
	for n := 1; n <= testkeys.Count; n++ {
		priv, didKey, vm := testkeys.Private(n)
		require.Equal(t, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(n)}, ed25519.SeedSize)), priv, "key %d", n)
		wantDID, wantVM, err := did.NewKeyDID(priv.Public())
		require.NoError(t, err)
		assert.Equal(t, wantDID, didKey)
		assert.Equal(t, wantVM, vm)
		assert.False(t, seen[didKey])
		seen[didKey] = true
	}
	assert.Panics(t, func() { testkeys.Ed25519(0) })
	assert.Panics(t, func() { testkeys.Ed25519(testkeys.Count + 1) })
}
