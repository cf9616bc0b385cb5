package strictjson

import (
	"encoding/json"
	"testing"
)

func TestSameMembers(t *testing.T) {
	list := []any{"x"}
	obj := map[string]any{"k": "v"}
	b := map[string]any{"a": "s", "n": json.Number("1"), "t": true, "z": nil, "l": list, "o": obj, "proof": obj}
	copyWithout := func(except string) map[string]any {
		out := map[string]any{}
		for k, v := range b {
			if k != except {
				out[k] = v
			}
		}
		return out
	}
	if !SameMembers(copyWithout("proof"), b, "proof") || !SameMembers(copyWithout(""), b, "") {
		t.Error("a shallow copy is not recognised")
	}
	for name, a := range map[string]map[string]any{
		"proof kept":       copyWithout(""),
		"member missing":   func() map[string]any { m := copyWithout("proof"); delete(m, "a"); return m }(),
		"list copied":      func() map[string]any { m := copyWithout("proof"); m["l"] = []any{"x"}; return m }(),
		"object copied":    func() map[string]any { m := copyWithout("proof"); m["o"] = map[string]any{"k": "v"}; return m }(),
		"scalar changed":   func() map[string]any { m := copyWithout("proof"); m["t"] = false; return m }(),
		"member replaced":  func() map[string]any { m := copyWithout("proof"); delete(m, "a"); m["b"] = "s"; return m }(),
		"number as string": func() map[string]any { m := copyWithout("proof"); m["n"] = "1"; return m }(),
	} {
		if SameMembers(a, b, "proof") {
			t.Errorf("%s: taken for the same members", name)
		}
	}
	if SameMembers(map[string]any{"l": []any{}}, map[string]any{"l": map[string]any{}}, "") {
		t.Error("an empty list taken for an empty object")
	}
}
