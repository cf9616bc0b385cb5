package credential

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const recycleSample = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example U"},
  "validFrom": "2026-01-01T00:00:00Z", "name": "Badge",
  "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:2",
    "type": ["Achievement"], "name": "A", "criteria": {"narrative": "do it"},
    "alignment": [{"type": ["Alignment"], "targetName": "t", "targetUrl": "https://example.org/t"}]}},
  "x-unknown": {"kept": [1, 2, {"deep": true}]}
}`

// typed is what Parse gives a caller besides the document.
func typed(c *Credential) any {
	return []any{c.Envelope, c.CredentialSubject, c.Extra, c.RawString()}
}

// TestParseRecycled checks that a credential parsed by ParseScoped reads as
// Parse reads it, and that once its memory has gone back (and been reused
// by other documents) its typed fields are intact and its Raw equal
// to Parse's: on the sample above, and on every example of the reference
// that Parse accepts.
func TestParseRecycled(t *testing.T) {
	checkRecycled(t, []byte(recycleSample))
	t.Run("reference", func(t *testing.T) {
		dir, names := exampleCredentials(t)
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			if _, err := Parse(b); err == nil { // some are invalid on purpose
				checkRecycled(t, b)
			}
		}
	})
}

func checkRecycled(t *testing.T, data []byte) {
	t.Helper()
	want, err := Parse(data)
	require.NoError(t, err)
	c, doc, release, err := ParseScoped(string(data), ScopeOptions{})
	require.NoError(t, err, "Parse accepts it")
	require.Equal(t, typed(want), typed(c), "ParseScoped reads %.80s differently from Parse", data)
	require.Equal(t, document(want), doc)
	release()
	// Reuse the memory for another document.
	_, other, release2, err := ParseScoped(recycleSample, ScopeOptions{})
	require.NoError(t, err)
	defer release2()
	require.NotNil(t, other)
	require.Equal(t, typed(want), typed(c), "typed fields of %.80s changed once the memory went back", data)
	assert.Equal(t, want.RawString(), c.RawString())
}

// TestRawIsACopy checks that Raw gives the caller bytes of its own: changing
// them changes neither the credential nor the next Raw, and that Parse
// does not keep the caller's input.
func TestRawIsACopy(t *testing.T) {
	data := []byte(recycleSample)
	c, err := Parse(data)
	require.NoError(t, err)
	data[len(data)-1] = ' ' // the caller's input changes
	raw := c.Raw()
	require.Equal(t, recycleSample, string(raw))
	raw[0] = '['
	assert.Equal(t, recycleSample, string(c.Raw()))
	assert.Equal(t, recycleSample, c.RawString())
	assert.Equal(t, "Example U", c.Issuer.Profile.Name)
	assert.Nil(t, new(Credential).Raw(), "a credential built in Go has no Raw")
}

func TestParseScopedRefuses(t *testing.T) {
	for _, in := range []string{`{"a":1,"a":2}`, `[]`, `{`, strings.Repeat(" ", 4<<20+1)} {
		_, _, _, err := ParseScoped(in, ScopeOptions{})
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "%.20q", in)
		_, perr := Parse([]byte(in))
		assert.EqualError(t, err, perr.Error())
	}
}

// TestParseTransient checks the issuer's use: with Transient the typed
// model is lent too, reads as Parse reads it, and a second credential
// parsed after release reuses its memory (the first one's fields are then
// zero), allocating little.
func TestParseTransient(t *testing.T) {
	want, err := Parse([]byte(recycleSample))
	require.NoError(t, err)
	o := ScopeOptions{Transient: true}
	c, doc, release, err := ParseScoped(recycleSample, o)
	require.NoError(t, err)
	require.Equal(t, typed(want), typed(c), "a transient parse reads the credential differently from Parse")
	require.Equal(t, document(want), doc)
	require.Equal(t, want.Validate(), c.Validate())
	release()
	assert.True(t, c.Subject() == nil && c.Name == "", "the transient credential's fields survive release: its memory was not given back")
	// Warm: parsing the same shape again allocates less than Parse, which
	// recycles the document but not the model (what remains is the copy of
	// the input, boxing arrays and numbers, and Extra).
	allocs := testing.AllocsPerRun(50, func() {
		c, _, release, err := ParseScoped(recycleSample, o)
		if err != nil || c.Name != want.Name {
			t.Fatal(err)
		}
		release()
	})
	data := []byte(recycleSample)
	parse := testing.AllocsPerRun(50, func() {
		if _, err := Parse(data); err != nil {
			t.Fatal(err)
		}
	})
	if !raceEnabled {
		assert.Less(t, allocs, parse, "allocations per warm transient parse, Parse's")
	}
}
