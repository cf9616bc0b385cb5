package verifier

import (
	"context"
	"slices"
	"sync/atomic"

	"github.com/microcred/openbadges/jsonld"
)

// configMemo remembers the canonical form of the last flat document (an
// object whose members are strings or lists of strings: a proof
// configuration) the Verifier's processor canonicalized. Credentials of a
// cohort are signed with the same proof configuration (same key, same
// context, created to the second), so verifying them one after another
// canonicalizes it once. The key is the whole document, so a hit is exact;
// the processor is the Verifier's own, so the result cannot depend on
// anything else.
type configMemo struct {
	last atomic.Pointer[configEntry]
}

type configEntry struct {
	config    map[string]any // a private copy of the flat document
	canonical []byte
}

// canonicalize returns p's canonical N-Quads of doc, from the memo when doc
// is flat and the same as last time.
func (m *configMemo) canonicalize(ctx context.Context, p *jsonld.Processor, doc any) ([]byte, error) {
	d, ok := doc.(map[string]any)
	if !ok || !isFlat(d) {
		return p.CanonicalizeValue(ctx, doc)
	}
	if e := m.last.Load(); e != nil && sameFlat(e.config, d) {
		return e.canonical, nil
	}
	out, err := p.CanonicalizeValue(ctx, doc)
	if err == nil {
		m.last.Store(&configEntry{config: copyFlat(d), canonical: out})
	}
	return out, err
}

// isFlat reports whether every member of m is a string or a list of
// strings, as in every built-in proof configuration.
func isFlat(m map[string]any) bool {
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

// sameFlat reports whether the flat objects a and b are equal.
func sameFlat(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			return false
		}
		switch x := va.(type) {
		case string:
			if y, ok := vb.(string); !ok || x != y {
				return false
			}
		case []any:
			y, ok := vb.([]any)
			if !ok || len(x) != len(y) {
				return false
			}
			for i := range x {
				if x[i].(string) != y[i].(string) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// copyFlat copies a flat object, lists included, so that the memo does not
// share memory with a document its caller may change.
func copyFlat(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if l, ok := v.([]any); ok {
			v = slices.Clone(l)
		}
		out[k] = v
	}
	return out
}
