package check_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/web/check"
)

func TestFormatOf(t *testing.T) {
	assert.Equal(t, "json", check.FormatOf([]byte(" {\"a\":1}")))
	assert.Equal(t, "jwt", check.FormatOf([]byte("eyJhbGciOiJFZERTQSJ9.e30.c2ln")))
	assert.Equal(t, "png", check.FormatOf([]byte("\x89PNG\r\n\x1a\n....")))
	assert.Equal(t, "svg", check.FormatOf([]byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)))
	assert.Equal(t, "", check.FormatOf([]byte("hello")))
}

func TestMatchIdentity(t *testing.T) {
	h := sha256.Sum256([]byte("ada@example.org" + "salt"))
	hash := "sha256$" + hex.EncodeToString(h[:])
	assert.True(t, check.MatchIdentity(hash, "salt", true, "ada@example.org"))
	assert.False(t, check.MatchIdentity(hash, "salt", true, "eve@example.org"))
	assert.True(t, check.MatchIdentity("ada@example.org", "", false, "ada@example.org"))
}

func TestVerifySaysWhatIsWrong(t *testing.T) {
	rep, err := check.Verify(context.Background(), []byte(`{"not": "a credential"}`), check.Options{})
	require.NoError(t, err)
	assert.Equal(t, check.VerdictNotVerified, rep.Verdict)
	assert.NotEmpty(t, rep.Reason)
	assert.False(t, rep.Signed)

	_, err = check.Verify(context.Background(), make([]byte, check.MaxInputBytes+1), check.Options{})
	assert.ErrorContains(t, err, "a badge is at most 16.0 MB")

	_, err = check.Verify(context.Background(), []byte(`{}`), check.Options{Now: "yesterday"})
	assert.Error(t, err)
}
