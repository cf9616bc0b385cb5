package dataintegrity

import (
	"slices"
	"sync/atomic"
)

// configMemo remembers the canonical form of the last proof configuration
// a Prover or a Verifier canonicalized. Proof configurations differ only by
// their created time (to the second) and the document's @context, so when
// many credentials of one issuer are signed (IssueBatch, a registrar's
// cohort) or verified, almost every one reuses the previous result, saving
// a JSON-LD expansion and an RDFC-1.0 run. The memo keeps a private copy of
// the configuration and a hit needs the whole configuration to be equal in
// content, so it is exact. Only "flat" configurations are remembered (every
// member a string or a list of strings, as in every proof configuration),
// which makes the comparison cheap. The zero value is empty and ready; it
// is safe for concurrent use.
type configMemo struct {
	last atomic.Pointer[configEntry]
}

type configEntry struct {
	config    map[string]any // a private copy
	canonical []byte
}

// put remembers canonical for config, if config is flat. canonical must not
// be changed afterwards.
func (m *configMemo) put(config map[string]any, canonical []byte) {
	for _, v := range config {
		if !isFlatMember(v) {
			return
		}
	}
	c := make(map[string]any, len(config))
	for k, v := range config {
		if l, ok := v.([]any); ok {
			v = slices.Clone(l)
		}
		c[k] = v
	}
	m.last.Store(&configEntry{config: c, canonical: canonical})
}

// getVariant returns the canonical form remembered for the configuration
// that base would be without its members omit and key and then, if
// present, with key set to val: a proof configuration is the proof without
// its proofValue under the document's @context, and this finds it without
// building it.
func (m *configMemo) getVariant(base map[string]any, omit, key string, val any, present bool) ([]byte, bool) {
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
	if len(e.config) != n {
		return nil, false
	}
	for k, vb := range base {
		if k == omit || k == key {
			continue
		}
		va, ok := e.config[k]
		if !ok || !sameFlatMember(va, vb) {
			return nil, false
		}
	}
	if present {
		va, ok := e.config[key]
		if !ok || !sameFlatMember(va, val) {
			return nil, false
		}
	}
	return e.canonical, true
}

// isFlatMember reports whether v is a string or a list of strings.
func isFlatMember(v any) bool {
	switch v := v.(type) {
	case string:
		return true
	case []any:
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// sameFlatMember reports whether vb equals va, a member of a remembered
// (flat) configuration.
func sameFlatMember(va, vb any) bool {
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
