package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every file and standard input a command reads is bounded: at the bound
// it is read whole, beyond it refused with its name.
func TestReadLimited(t *testing.T) {
	b, err := readLimited(strings.NewReader("abc"), "standard input", 3)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(b))
	_, err = readLimited(strings.NewReader("abcd"), "standard input", 3)
	assert.EqualError(t, err, "standard input: larger than 3 bytes")

	path := filepath.Join(t.TempDir(), "key.jwk")
	require.NoError(t, os.WriteFile(path, []byte("abcd"), 0o600))
	_, err = readFileLimited(path, "key.jwk", 3)
	assert.EqualError(t, err, "key.jwk: larger than 3 bytes")
	_, err = readFileLimited(filepath.Join(t.TempDir(), "missing"), "missing", 3)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
