package status_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
)

const testEntry = `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"7","statusListCredential":"https://example.edu/status/1"}`

func TestParseEntries(t *testing.T) {
	entries, errs, err := status.ParseEntries([]byte(`{"credentialStatus":[` + testEntry + `,{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"01","statusListCredential":"https://example.edu/status/1"}]}`))
	require.NoError(t, err)
	require.Len(t, entries, 2)
	require.Len(t, errs, 2)
	require.NoError(t, errs[0])
	assert.Equal(t, uint64(7), entries[0].Index)
	assert.Equal(t, "https://example.edu/status/1", entries[0].ListCredential)
	require.ErrorIs(t, errs[1], status.ErrMalformed, "one bad entry is reported at its position")
	assert.ErrorContains(t, errs[1], "credentialStatus[1].statusListIndex")

	for _, none := range []string{`{}`, `{"credentialStatus":null}`} {
		entries, errs, err = status.ParseEntries([]byte(none))
		require.NoError(t, err, none)
		assert.Nil(t, entries, none)
		assert.Nil(t, errs, none)
	}
	for _, bad := range []string{`[]`, `{"credentialStatus":`, `{"a":1,"a":2}`} {
		_, _, err = status.ParseEntries([]byte(bad))
		require.ErrorIs(t, err, status.ErrMalformed, bad)
	}
}

func TestParseEntry(t *testing.T) {
	e, err := status.ParseEntry([]byte(testEntry))
	require.NoError(t, err)
	assert.Equal(t, status.Entry{Type: status.TypeBitstringEntry, Purpose: status.PurposeRevocation, Index: 7, ListCredential: "https://example.edu/status/1"}, e)
	for _, bad := range []string{`"x"`, `{"type":"BitstringStatusListEntry"}`, `{"type":1}`} {
		_, err = status.ParseEntry([]byte(bad))
		require.ErrorIs(t, err, status.ErrMalformed, bad)
	}
}
