package strictjson

import (
	"encoding/json"
	"reflect"
)

// SameMembers reports whether a holds exactly the members of b other than
// except (use "" to compare all), each the same value: equal scalars, or
// the very same map or slice (by identity, not content). It recognises a
// shallow copy of a decoded document, as made to set one member aside,
// in time proportional to its number of members.
func SameMembers(a, b map[string]any, except string) bool {
	n := len(b)
	if _, has := b[except]; has && except != "" {
		n--
	}
	if len(a) != n {
		return false
	}
	for k, va := range a {
		if k == except && except != "" {
			return false
		}
		vb, ok := b[k]
		if !ok || !identical(va, vb) {
			return false
		}
	}
	return true
}

// identical reports whether a and b are the same value: equal scalars, or
// the same map or slice.
func identical(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string, bool, float64, json.Number:
		return a == b
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return false
}
