package credential

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/openbadges/internal/strictjson"
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

// typed is what Parse gives a caller.
func typed(c *Credential) any {
	return []any{c.Envelope, c.CredentialSubject, c.Extra, c.RawString()}
}

// TestReadDocument checks that a credential read from a parsed document
// reads as Parse reads it: on the sample above, and on every example of
// the reference.
func TestReadDocument(t *testing.T) {
	want, err := Parse([]byte(recycleSample))
	checkFromDocument(t, []byte(recycleSample), want, err)
	t.Run("reference", func(t *testing.T) {
		dir, names := exampleCredentials(t)
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			want, err := Parse(b) // some are invalid on purpose
			checkFromDocument(t, b, want, err)
		}
	})
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

func TestReadDocumentRefuses(t *testing.T) {
	for _, in := range []string{`[]`, `"x"`, `{"Type":["VerifiableCredential"]}`, `{"a":1,"a":2}`, `{`, strings.Repeat(" ", 4<<20+1)} {
		err := ReadDocument(in, func(*Credential, strictjson.Value) { t.Fatalf("read called for %q", in) })
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "%q", in)
		_, perr := Parse([]byte(in))
		assert.EqualError(t, err, perr.Error())
	}
}
