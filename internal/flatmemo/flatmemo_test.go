package flatmemo

import "testing"

func TestSame(t *testing.T) {
	a := map[string]any{"a": "b", "c": []any{"d", "e"}}
	for _, b := range []map[string]any{
		{"a": "b", "c": []any{"d"}},
		{"a": "b", "c": "d"},
		{"a": "b", "c": []any{"d", "f"}},
		{"a": "b", "x": []any{"d", "e"}},
		{"a": "b", "c": []any{"d", "e"}, "z": ""},
	} {
		if same(a, b) || same(b, a) {
			t.Errorf("%v and %v taken as equal", a, b)
		}
	}
	if !same(a, clone(a)) {
		t.Error("a copy differs")
	}
	for _, m := range []map[string]any{{"a": map[string]any{}}, {"a": []any{1.0}}, {"a": true}, {"a": nil}} {
		if IsFlat(m) {
			t.Errorf("%v taken as flat", m)
		}
	}
	c := clone(a)
	a["c"].([]any)[0] = "changed"
	if c["c"].([]any)[0] != "d" {
		t.Error("the copy shares its list")
	}
}

func TestMemo(t *testing.T) {
	var m Memo
	a := map[string]any{"a": "b"}
	if _, hit := m.Get(a); hit {
		t.Fatal("empty memo hit")
	}
	m.Put(a, []byte("x"))
	if out, hit := m.Get(map[string]any{"a": "b"}); !hit || string(out) != "x" {
		t.Fatalf("equal object missed: %q %v", out, hit)
	}
	if _, hit := m.Get(map[string]any{"a": "c"}); hit {
		t.Fatal("different object hit")
	}
	m.Put(map[string]any{"a": map[string]any{}}, []byte("y"))
	if out, hit := m.Get(a); !hit || string(out) != "x" {
		t.Fatal("a nested object replaced the memo")
	}
}

// TestGetVariant checks GetVariant against Get on the object it stands for.
func TestGetVariant(t *testing.T) {
	ctx := []any{"https://www.w3.org/ns/credentials/v2"}
	stored := map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": ctx}
	var m Memo
	m.Put(stored, []byte("c"))
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
	}{
		"same, proofValue set aside": {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "proofValue": "z1"}, ctx, true},
		"own @context replaced":      {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": "x"}, []any{"https://www.w3.org/ns/credentials/v2"}, true},
		"other created":              {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-02T00:00:00Z"}, ctx, true},
		"no @context":                {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "@context": ctx}, nil, false},
		"other @context":             {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z"}, []any{"https://example.org"}, true},
		"extra member":               {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "nonce": "n"}, ctx, true},
		"member missing":             {map[string]any{"type": "DataIntegrityProof"}, ctx, true},
		"nested value":               {map[string]any{"type": map[string]any{}, "created": "2026-01-01T00:00:00Z"}, ctx, true},
		"context not flat":           {map[string]any{"type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z"}, []any{map[string]any{}}, true},
	} {
		_, want := m.Get(variant(tc.base, tc.val, tc.present))
		out, got := m.GetVariant(tc.base, "proofValue", "@context", tc.val, tc.present)
		if got != want || (got && string(out) != "c") {
			t.Errorf("%s: GetVariant hit %v, Get on the object %v", name, got, want)
		}
	}
	var empty Memo
	if _, hit := empty.GetVariant(stored, "proofValue", "@context", ctx, true); hit {
		t.Error("empty memo hit")
	}
}
