// Package flatmemo remembers the canonical form of the last "flat" JSON
// object (every member a string or a list of strings, as in every proof
// configuration) that was canonicalized. Credentials of a cohort share
// their proof configuration (same key, context and created second), so the
// signer and the verifier each canonicalize it once per run of them. A hit
// needs the whole object to be equal, so it is exact.
package flatmemo

import (
	"slices"
	"sync/atomic"
)

// Memo holds the last flat object and its canonical form. The zero value
// is empty and ready; it is safe for concurrent use.
type Memo struct {
	last atomic.Pointer[entry]
}

type entry struct {
	doc       map[string]any // a private copy
	canonical []byte
}

// Get returns the canonical form remembered for doc, if doc is flat and
// equal to the last object stored.
func (m *Memo) Get(doc map[string]any) ([]byte, bool) {
	if e := m.last.Load(); e != nil && IsFlat(doc) && same(e.doc, doc) {
		return e.canonical, true
	}
	return nil, false
}

// Put remembers canonical for doc, if doc is flat. canonical must not be
// changed afterwards.
func (m *Memo) Put(doc map[string]any, canonical []byte) {
	if IsFlat(doc) {
		m.last.Store(&entry{doc: clone(doc), canonical: canonical})
	}
}

// IsFlat reports whether every member of m is a string or a list of strings.
func IsFlat(m map[string]any) bool {
	for _, v := range m {
		switch v := v.(type) {
		case string:
		case []any:
			for _, e := range v {
				if _, ok := e.(string); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// same reports whether the flat objects a and b are equal.
func same(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !sameValue(va, vb) {
			return false
		}
	}
	return true
}

// sameValue reports whether vb equals va, a member of a flat object.
func sameValue(va, vb any) bool {
	switch x := va.(type) {
	case string:
		y, ok := vb.(string)
		return ok && x == y
	case []any:
		y, ok := vb.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if s, ok := y[i].(string); !ok || x[i].(string) != s {
				return false
			}
		}
		return true
	}
	return false
}

// GetVariant is Get for the object that base would be without its members
// omit and key and then, if present, with key set to val: a proof
// configuration is the proof without its proofValue under the document's
// @context, and this finds it without building it.
func (m *Memo) GetVariant(base map[string]any, omit, key string, val any, present bool) ([]byte, bool) {
	e := m.last.Load()
	if e == nil {
		return nil, false
	}
	n := len(base)
	if _, has := base[omit]; has {
		n--
	}
	if _, has := base[key]; has && key != omit {
		n--
	}
	if present {
		n++
	}
	if len(e.doc) != n {
		return nil, false
	}
	for k, vb := range base {
		if k == omit || k == key {
			continue
		}
		va, ok := e.doc[k]
		if !ok || !sameValue(va, vb) {
			return nil, false
		}
	}
	if present {
		va, ok := e.doc[key]
		if !ok || !sameValue(va, val) {
			return nil, false
		}
	}
	return e.canonical, true
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if l, ok := v.([]any); ok {
			v = slices.Clone(l)
		}
		out[k] = v
	}
	return out
}
