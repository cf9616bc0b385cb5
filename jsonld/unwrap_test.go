package jsonld_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/jsonld"
)

// TestUnwrapNestedContexts: an inline context wrapped in a second @context
// key is a keyword redefinition (JSON-LD 1.1) unless UnwrapNestedContexts
// reads it as jsonld.js does; then it means what the unwrapped context
// means. A wrapper with other members is refused either way.
func TestUnwrapNestedContexts(t *testing.T) {
	ctx := context.Background()
	const inner = `{"name": "https://schema.org/name"}`
	wrapped := []byte(`{"@context": [{"@context": ` + inner + `}], "@id": "urn:x:1", "name": "A"}`)
	plain := []byte(`{"@context": [` + inner + `], "@id": "urn:x:1", "name": "A"}`)
	withSibling := []byte(`{"@context": [{"@context": ` + inner + `, "other": "https://example.com/o"}], "@id": "urn:x:1", "name": "A"}`)

	def, err := jsonld.NewProcessor(jsonld.Config{})
	require.NoError(t, err)
	_, err = def.Canonicalize(ctx, wrapped)
	require.ErrorIs(t, err, jsonld.ErrInvalidContext)
	assert.Contains(t, err.Error(), "keyword redefinition")

	unwrap, err := jsonld.NewProcessor(jsonld.Config{UnwrapNestedContexts: true})
	require.NoError(t, err)
	got, err := unwrap.Canonicalize(ctx, wrapped)
	require.NoError(t, err)
	want, err := def.Canonicalize(ctx, plain)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), "<https://schema.org/name>")

	_, err = unwrap.Canonicalize(ctx, withSibling)
	require.ErrorIs(t, err, jsonld.ErrInvalidContext)
}
