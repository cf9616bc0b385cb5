package vcapi

import (
	"bytes"
	"encoding/json"
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

// FuzzSplitObject: splitObject agrees with encoding/json on every valid
// JSON object: it splits it, into the members encoding/json reads, with
// the names it decodes and values that are valid JSON each.
func FuzzSplitObject(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a\"b":"c\\","d":[{"e":"]"}]}`, `{"\u00e9":"\\\"","x":{"y":"}"}}`, ` { "a" : [ ] , "b\\":null } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = bytes.TrimSpace(b)
		if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
			return
		}
		var want map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &want))
		members, err := splitObject(b)
		require.NoError(t, err)
		got := map[string]json.RawMessage{}
		for _, m := range members {
			require.True(t, json.Valid(m.value), "%q", m.value)
			var name string
			require.NoError(t, json.Unmarshal(m.rawName, &name))
			require.Equal(t, name, m.name)
			got[m.name] = m.value
		}
		require.Equal(t, len(want), len(got))
		for k, v := range want {
			require.JSONEq(t, string(v), string(got[k]), k)
		}
	})
}
