package verifier_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/verifier"
)

func TestConfigWithDefaults(t *testing.T) {
	d := verifier.Config{}.WithDefaults()
	require.NotNil(t, d.Resolver)
	require.NotNil(t, d.Loader)
	require.NotNil(t, d.Now)
	assert.WithinDuration(t, time.Now(), d.Now(), time.Minute)
	assert.Equal(t, verifier.DefaultMaxClockSkew, d.MaxClockSkew)
	assert.Equal(t, verifier.DefaultMaxEndorsementDepth, d.MaxEndorsementDepth)
	// The default resolver is offline: did:key, not did:web.
	_, err := d.Resolver.Resolve(context.Background(), "did:web:example.com")
	require.Error(t, err)
	_, err = d.Loader.LoadDocument(context.Background(), "https://example.com/unpinned-context.jsonld")
	require.Error(t, err)

	// What is set is kept, invalid values included (New refuses those).
	now := func() time.Time { return time.Unix(0, 0) }
	res, err := did.NewStaticResolver()
	require.NoError(t, err)
	loader := jsonld.Embedded()
	c := verifier.Config{Resolver: res, Loader: loader, Now: now, MaxClockSkew: -time.Second, MaxEndorsementDepth: -1}.WithDefaults()
	assert.Same(t, res, c.Resolver)
	assert.Equal(t, time.Unix(0, 0), c.Now())
	assert.Equal(t, -time.Second, c.MaxClockSkew)
	assert.Equal(t, -1, c.MaxEndorsementDepth)
}
