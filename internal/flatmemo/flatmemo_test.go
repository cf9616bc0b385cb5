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
