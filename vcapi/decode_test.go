package vcapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeRequestPayload: the credential's bytes reach the request as
// written, whatever they hold (strings with braces, escapes); the
// request's own members are read strictly.
func TestDecodeRequestPayload(t *testing.T) {
	vc := `{"a": "}]{[\"", "b": [1, {"c": null}], "d": "\\\\"}`
	var r verifyRequest
	require.NoError(t, decodeRequest([]byte(" {\"verifiableCredential\" : "+vc+" , \"options\": {\"lenient\": true}}\n"), &r))
	assert.Equal(t, vc, string(r.VerifiableCredential))
	assert.JSONEq(t, `{"lenient": true}`, string(r.Options))

	// An escaped name is the name it spells.
	r = verifyRequest{}
	require.NoError(t, decodeRequest([]byte(`{"verifiableCredenti\u0061l": {}}`), &r))
	assert.Equal(t, "{}", string(r.VerifiableCredential))

	for name, body := range map[string]string{
		"not an object":           `[1]`,
		"duplicate payload":       `{"verifiableCredential": {}, "verifiableCredential": {}}`,
		"duplicate by escape":     `{"verifiableCredential": {}, "verifiableCredenti\u0061l": {}}`,
		"case variant":            `{"verifiableCredential": {}, "VerifiableCredential": {}}`,
		"duplicate in options":    `{"verifiableCredential": {}, "options": {"domain": "a", "domain": "b"}}`,
		"case variant in options": `{"verifiableCredential": {}, "options": {"Challenge": "x"}}`,
		"trailing data":           `{"verifiableCredential": {}} {}`,
		"unterminated object":     `{"verifiableCredential": {"a": 1}`,
		"unterminated string":     `{"verifiableCredential": {"a": "1}}`,
		"no colon":                `{"verifiableCredential" {}}`,
		"no value":                `{"verifiableCredential": }`,
		"bad options":             `{"verifiableCredential": {}, "options": {"lenient": tru}}`,
		"trailing comma":          `{"verifiableCredential": {},}`,
		"options of wrong type":   `{"verifiableCredential": {}, "options": {"lenient": "yes"}, "x": [}`,
	} {
		var r verifyRequest
		assert.Error(t, decodeRequest([]byte(body), &r), name)
	}
	var st statusUpdateRequest
	err := decodeRequest([]byte(`{"credentialId": 7}`), &st)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `member "credentialId"`)
}
