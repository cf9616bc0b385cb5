package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgress: the bar is drawn only on a terminal; a file or a buffer
// gets nothing (the summary line is written apart).
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 10)
	p.set(5)
	p.done()
	assert.Empty(t, b.String())

	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file is not a terminal")

	// As drawn on a terminal: the bar, the count, then cleared.
	b.Reset()
	p = &progress{w: &b, total: 4, on: true}
	p.set(1)
	p.set(4)
	p.done()
	assert.Equal(t, "\r[#######                       ] 1/4\r[##############################] 4/4\r\033[K", b.String())
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"did:example:123":         "did_example_123",
		"../../etc/passwd":        "_.._etc_passwd",
		"..":                      "_",
		"":                        "_",
		"mailto:a@b.c":            "mailto_a_b.c",
		string(make([]byte, 300)): string(bytes.Repeat([]byte("_"), 100)),
	} {
		assert.Equal(t, want, safeFileName(in), "%q", in)
	}
}
