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

// TestReadScopedRecycles checks that ReadScoped's credential goes back to
// the arena when the read returns (its objects zeroed, so the arena keeps
// no string of the input), and that a credential decoded into recycled
// objects holds nothing of the one before: a rich credential, then a
// minimal one, then the rich one again.
func TestReadScopedRecycles(t *testing.T) {
	minimal := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`
	for _, src := range []string{recycleSample, minimal, recycleSample, minimal} {
		want, err := Parse([]byte(src))
		require.NoError(t, err)
		var kept *Credential
		var subject *AchievementSubject
		require.NoError(t, ReadScoped(src, func(c *Credential, _ strictjson.Value) {
			require.Equal(t, typed(want), typed(c))
			require.Equal(t, want.Validate(), c.Validate())
			kept, subject = c, c.Subject()
		}))
		// White box: what a caller must not keep is zeroed, not freed.
		assert.Equal(t, Credential{}, *kept, "the credential was not recycled")
		assert.Equal(t, AchievementSubject{}, *subject, "the subject was not recycled")
	}
}

// TestReadScopedAllocates checks that the arena is used: decoding the
// typed model costs ReadScoped no allocation once its arena has grown.
func TestReadScopedAllocates(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop entries at random")
	}
	allocs := func(read func(string, func(*Credential, strictjson.Value)) error) float64 {
		return testing.AllocsPerRun(50, func() {
			_ = read(recycleSample, func(*Credential, strictjson.Value) {})
		})
	}
	scoped, document := allocs(ReadScoped), allocs(ReadDocument)
	t.Logf("ReadScoped %v, ReadDocument %v allocations", scoped, document)
	assert.Less(t, scoped+5, document, "ReadScoped %v allocations, ReadDocument %v", scoped, document)
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
