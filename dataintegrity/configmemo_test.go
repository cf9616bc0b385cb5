package dataintegrity

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigMemo(t *testing.T) {
	var m configMemo
	a := []byte(`{"a":"b","c":["d","e"]}`)
	_, hit := m.get(a)
	require.False(t, hit, "empty memo hit")
	m.put(a, []byte("x"))
	out, hit := m.get([]byte(`{"a":"b","c":["d","e"]}`))
	require.True(t, hit, "equal configuration missed")
	assert.Equal(t, "x", string(out))
	for _, b := range []string{`{"a":"b","c":["d"]}`, `{"a":"b","c":"d"}`, `{"a":"b","c":["d","f"]}`, `{"a":"b","x":["d","e"]}`, `{"a":"b","c":["d","e"],"z":""}`} {
		_, hit := m.get([]byte(b))
		assert.False(t, hit, "%s taken for %s", b, a)
	}
	// The memo keeps its own copy: changing the caller's bytes changes nothing.
	a[2] = 'z'
	_, hit = m.get([]byte(`{"a":"b","c":["d","e"]}`))
	assert.True(t, hit, "the memo shares the caller's bytes")
}

// TestConfigMemoVariant checks that the proof configuration the memo is
// asked for is the proof without its proofValue under the document's
// @context: proofs that differ in nothing else hit, any other miss.
func TestConfigMemoVariant(t *testing.T) {
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:x"}`
	counter := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	var m configMemo
	canon := func(doc, proof string) []byte {
		t.Helper()
		env := &Env{doc: tree(t, decodeJSON(t, []byte(doc))), rdf: counter, configs: &m}
		out, err := env.CanonicalProofConfigRDF(context.Background(), []byte(proof))
		require.NoError(t, err)
		return out
	}
	stored := canon(doc, `{"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z"}`)
	assert.JSONEq(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z"}`, string(stored))
	for name, tc := range map[string]struct {
		doc, proof string
		hit        bool
	}{
		"same, proofValue set aside": {doc, `{"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z","proofValue":"z1"}`, true},
		"own @context replaced":      {doc, `{"type":"DataIntegrityProof","@context":"x","created":"2026-01-01T00:00:00Z"}`, true},
		"other created":              {doc, `{"type":"DataIntegrityProof","created":"2026-01-02T00:00:00Z"}`, false},
		"no @context":                {`{"id":"urn:x"}`, `{"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z"}`, false},
		"other @context":             {`{"@context":["https://example.org"]}`, `{"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z"}`, false},
		"extra member":               {doc, `{"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z","nonce":"n"}`, false},
		"member missing":             {doc, `{"type":"DataIntegrityProof"}`, false},
		"nested value":               {doc, `{"type":{},"created":"2026-01-01T00:00:00Z"}`, false},
	} {
		m.put([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"DataIntegrityProof","created":"2026-01-01T00:00:00Z"}`), stored)
		before := counter.calls
		canon(tc.doc, tc.proof)
		assert.Equal(t, tc.hit, counter.calls == before, name)
	}
}
