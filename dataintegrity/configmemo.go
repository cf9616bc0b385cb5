package dataintegrity

import (
	"bytes"
	"sync/atomic"
)

// configMemo remembers the canonical form of the last proof configuration
// a Prover or a Verifier canonicalized. Proof configurations differ only by
// their created time (to the second) and the document's @context, so when
// many credentials of one issuer are signed (IssueBatch, a registrar's
// cohort) or verified, almost every one reuses the previous result, saving
// a JSON-LD expansion and an RDFC-1.0 run. The memo keeps a private copy of
// the configuration's JSON, and a hit needs the same JSON, so it is exact.
// The zero value is empty and ready, a nil memo remembers nothing; it is
// safe for concurrent use.
type configMemo struct {
	last atomic.Pointer[configEntry]
}

type configEntry struct {
	config    []byte // a private copy
	canonical []byte
}

// put remembers canonical for config. canonical must not be changed
// afterwards.
func (m *configMemo) put(config, canonical []byte) {
	if m != nil {
		m.last.Store(&configEntry{config: bytes.Clone(config), canonical: canonical})
	}
}

// get returns the canonical form remembered for config.
func (m *configMemo) get(config []byte) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	if e := m.last.Load(); e != nil && bytes.Equal(e.config, config) {
		return e.canonical, true
	}
	return nil, false
}
