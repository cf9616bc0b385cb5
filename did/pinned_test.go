package did

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPinnedResolver: pinned documents first, the next resolver for the
// others, and a pinned bare JWK at an https key URL checked as if
// HTTPSResolver had fetched it.
func TestPinnedResolver(t *testing.T) {
	ctx := context.Background()
	pub := ed25519.NewKeyFromSeed(make([]byte, 32)).Public()
	j, err := JWKFromPublicKey(pub)
	require.NoError(t, err)
	raw, err := json.Marshal(j)
	require.NoError(t, err)
	const keyURL = "https://issuer.example/keys/1"
	doc, err := KeyURLDocument(keyURL, raw)
	require.NoError(t, err)

	r, err := NewPinnedResolver(nil, doc)
	require.NoError(t, err)
	vm, got, err := ResolveVerificationMethod(ctx, r, keyURL, AssertionMethod)
	require.NoError(t, err)
	assert.Equal(t, keyURL, got.ID)
	assert.Equal(t, keyURL, vm.Controller)
	_, _, err = ResolveVerificationMethod(ctx, r, keyURL, Authentication)
	assert.NoError(t, err, "listed under authentication, as HTTPSResolver lists it")

	// Not pinned: the next resolver (here the default, offline one).
	d, _, err := NewKeyDID(pub)
	require.NoError(t, err)
	kd, err := r.Resolve(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, d, kd.ID)
	_, err = r.Resolve(ctx, "https://issuer.example/keys/2")
	assert.ErrorIs(t, err, ErrNetworkRequired)

	_, err = KeyURLDocument("http://issuer.example/keys/1", raw)
	assert.ErrorIs(t, err, ErrInvalidDID)
	_, err = KeyURLDocument(keyURL, []byte(`{"kty":"OKP"}`))
	assert.Error(t, err)
	_, err = NewPinnedResolver(nil, doc, doc)
	assert.ErrorIs(t, err, ErrInvalidDocument)
}
