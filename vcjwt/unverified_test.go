package vcjwt_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/vcjwt"
)

// TestUnverifiedCredential: the credential of a token, without the
// registered claims; a token whose signature is wrong still gives it (it is
// not checked), a malformed one does not.
func TestUnverifiedCredential(t *testing.T) {
	issuer, kid, err := did.NewKeyDID(exampleKey.Public())
	require.NoError(t, err)
	token, err := vcjwt.Sign(context.Background(), exampleCredential(issuer), exampleKey, vcjwt.SignOptions{KeyID: kid})
	require.NoError(t, err)

	got, err := vcjwt.UnverifiedCredential([]byte(token))
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(got, &c))
	assert.Equal(t, "Teamwork Badge", c["name"])
	assert.NotContains(t, c, "iss")
	assert.NotContains(t, c, "nbf")

	parts := strings.Split(token, ".")
	forged := parts[0] + "." + parts[1] + ".AAAA"
	_, err = vcjwt.UnverifiedCredential([]byte(forged))
	assert.NoError(t, err, "the signature is not checked")

	for name, bad := range map[string]string{
		"two segments":  parts[0] + "." + parts[1],
		"bad payload":   parts[0] + ".e30x." + parts[2],
		"not a VC":      parts[0] + ".e30." + parts[2], // {}
		"white space":   " " + token,
		"bad alphabet":  parts[0] + ".!!." + parts[2],
		"huge":          strings.Repeat("a", vcjwt.DefaultMaxTokenSize+1),
		"empty":         "",
		"json":          `{"a": 1}`,
		"header only":   parts[0] + "..",
		"not an object": "WzFd." + parts[1] + "." + parts[2], // [1]
	} {
		_, err := vcjwt.UnverifiedCredential([]byte(bad))
		assert.Error(t, err, name)
	}
}
