package dataintegrity

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lookup is getVariant of the configuration itself (nothing set aside).
func (m *configMemo) lookup(config map[string]any) ([]byte, bool) {
	return m.getVariant(config, "", "", nil, false)
}

func TestConfigMemo(t *testing.T) {
	var m configMemo
	a := map[string]any{"a": "b", "c": []any{"d", "e"}}
	_, hit := m.lookup(a)
	require.False(t, hit, "empty memo hit")
	m.put(a, []byte("x"))
	out, hit := m.lookup(map[string]any{"a": "b", "c": []any{"d", "e"}})
	require.True(t, hit, "equal configuration missed")
	assert.Equal(t, "x", string(out))
	for _, b := range []map[string]any{
		{"a": "b", "c": []any{"d"}},
		{"a": "b", "c": "d"},
		{"a": "b", "c": []any{"d", "f"}},
		{"a": "b", "x": []any{"d", "e"}},
		{"a": "b", "c": []any{"d", "e"}, "z": ""},
	} {
		_, hit := m.lookup(b)
		assert.False(t, hit, "%v taken for %v", b, a)
	}
	// The memo keeps its own copy: changing the stored list changes nothing.
	a["c"].([]any)[0] = "changed"
	_, hit = m.lookup(map[string]any{"a": "b", "c": []any{"d", "e"}})
	assert.True(t, hit, "the memo shares the caller's list")
	// Configurations that are not flat are not remembered.
	for _, c := range []map[string]any{{"a": map[string]any{}}, {"a": []any{1.0}}, {"a": true}, {"a": nil}} {
		m.put(c, []byte("y"))
		_, hit := m.lookup(c)
		assert.False(t, hit, "%v remembered", c)
	}
	_, hit = m.lookup(map[string]any{"a": "b", "c": []any{"d", "e"}})
	assert.True(t, hit, "a configuration that is not flat replaced the memo")
}

// TestConfigMemoVariant checks getVariant against a lookup of the
// configuration it stands for.
func TestConfigMemoVariant(t *testing.T) {
	ctx := []any{"https://www.w3.org/ns/credentials/v2"}
	stored := map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": ctx}
	var m configMemo
	m.put(stored, []byte("c"))
	variant := func(base map[string]any, val any, present bool) map[string]any {
		out := map[string]any{}
		for k, v := range base {
			if k != "proofValue" && k != "@context" {
				out[k] = v
			}
		}
		if present {
			out["@context"] = val
		}
		return out
	}
	for name, tc := range map[string]struct {
		base    map[string]any
		val     any
		present bool
		hit     bool
	}{
		"same, proofValue set aside": {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "proofValue": "z1"}, ctx, true, true},
		"own @context replaced":      {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": "x"}, []any{"https://www.w3.org/ns/credentials/v2"}, true, true},
		"other created":              {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-02T00:00:00Z"}, ctx, true, false},
		"no @context":                {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": ctx}, nil, false, false},
		"other @context":             {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z"}, []any{"https://example.org"}, true, false},
		"extra member":               {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "nonce": "n"}, ctx, true, false},
		"member missing":             {map[string]any{"type": "DataIntegrityProof"}, ctx, true, false},
		"nested value":               {map[string]any{"type": map[string]any{}, "created": "2026-01-01T00:00:00Z"}, ctx, true, false},
		"context not flat":           {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z"}, []any{map[string]any{}}, true, false},
	} {
		_, want := m.lookup(variant(tc.base, tc.val, tc.present))
		out, got := m.getVariant(tc.base, "proofValue", "@context", tc.val, tc.present)
		assert.Equal(t, tc.hit, got, name)
		assert.Equal(t, want, got, "%s: getVariant and a lookup of the configuration disagree", name)
		if got {
			assert.Equal(t, "c", string(out), name)
		}
	}
	var empty configMemo
	_, hit := empty.getVariant(stored, "proofValue", "@context", ctx, true)
	assert.False(t, hit, "empty memo hit")
}
