package jsonld_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/jsonld"
)

// TestIsValueError: a value safe mode refuses is a value error, wrapped or
// not; a document that cannot be read as JSON-LD is not.
func TestIsValueError(t *testing.T) {
	assert.True(t, jsonld.IsValueError(jsonld.ErrUndefinedTerm))
	assert.True(t, jsonld.IsValueError(fmt.Errorf("at $.x: %w", jsonld.ErrLossyNumber)))
	assert.True(t, jsonld.IsValueError(&jsonld.TermError{Path: "$.x", Err: jsonld.ErrRelativeID}))
	assert.False(t, jsonld.IsValueError(jsonld.ErrInvalidJSON))
	assert.False(t, jsonld.IsValueError(jsonld.ErrLoadingContext))
	assert.False(t, jsonld.IsValueError(nil))

	p, err := jsonld.NewProcessor(jsonld.Config{})
	require.NoError(t, err)
	_, err = p.Canonicalize(context.Background(), []byte(`{"@context":"https://www.w3.org/ns/credentials/v2","undefinedTerm":1}`))
	require.Error(t, err)
	assert.True(t, jsonld.IsValueError(err), "%v", err)
}
